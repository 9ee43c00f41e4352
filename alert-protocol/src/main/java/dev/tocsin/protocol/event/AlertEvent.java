package dev.tocsin.protocol.event;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertNote;

import java.time.Instant;

/**
 * One change of one alert, as alert-ingest publishes it to Redis and the gateway and relay consume it.
 *
 * <p>The position {@code (epoch, seq)} is assigned by Redis in the same atomic step that publishes the event:
 * {@code seq} rises by one per event; {@code epoch} changes only when the sequence is reset (history lost), so
 * a consumer that sees a new epoch knows its old positions mean nothing.
 *
 * @param epoch       identity of the sequence
 * @param seq         position in the sequence, strictly increasing by one
 * @param op          what happened
 * @param alertId     the alert's id (always set, also for deletes)
 * @param alert       the alert after the change; null for {@link ChangeOp#DELETED}
 * @param changeId    identifies the source change (the change stream's resume token), for de-duplication
 * @param publishedAt when alert-ingest published it
 * @param note        for a change that added a note ({@code alert.lastChange} noted): that note; null otherwise
 */
public record AlertEvent(
        String epoch,
        long seq,
        ChangeOp op,
        String alertId,
        Alert alert,
        String changeId,
        Instant publishedAt,
        AlertNote note) {

    /** An event of any change but a note. */
    public AlertEvent(String epoch, long seq, ChangeOp op, String alertId, Alert alert, String changeId,
            Instant publishedAt) {
        this(epoch, seq, op, alertId, alert, changeId, publishedAt, null);
    }
}
