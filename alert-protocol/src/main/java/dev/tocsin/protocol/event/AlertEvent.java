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
 * @param stateOnly   true when {@code alert.lastChange} does not name this change: alert-ingest reads the alert after
 *                    the change (MongoDB's {@code updateLookup}), so when writes follow each other closely the alert
 *                    already holds later ones, and an acknowledgment's or a note's {@code lastChange} can hide an
 *                    edit or an assignment made just before it. Consumers then take {@code alert} as the whole new
 *                    state (the gateway sends {@code alert_update} {@code updated}) instead of an {@code alert_ack}
 *                    or {@code alert_note}, which do not carry the alert. Absent (false) in events of older ingests.
 */
public record AlertEvent(
        String epoch,
        long seq,
        ChangeOp op,
        String alertId,
        Alert alert,
        String changeId,
        Instant publishedAt,
        AlertNote note,
        boolean stateOnly) {

    /** An event whose alert's {@code lastChange} names the change (the usual case). */
    public AlertEvent(String epoch, long seq, ChangeOp op, String alertId, Alert alert, String changeId,
            Instant publishedAt, AlertNote note) {
        this(epoch, seq, op, alertId, alert, changeId, publishedAt, note, false);
    }

    /** An event of any change but a note. */
    public AlertEvent(String epoch, long seq, ChangeOp op, String alertId, Alert alert, String changeId,
            Instant publishedAt) {
        this(epoch, seq, op, alertId, alert, changeId, publishedAt, null);
    }
}
