package dev.tocsin.ingest.changestream;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCursor;
import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import io.quarkus.logging.Log;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the tailer does when its stored position is gone from the oplog (ChangeStreamHistoryLost): waiting cannot
 * bring it back. Instead of skipping what changed in between, the stream is reopened at the current time and
 * every alert changed since the stored position (minus a margin for clock skew) is re-published from the store
 * as an {@code updated} event, oldest change first. The stream is already open meanwhile, so nothing that changes
 * during the replay is missed (it may arrive twice: once replayed, once from the stream, the later one carrying
 * the newer state). Deleted alerts cannot be replayed (they are gone from the store). Used by the tailer's thread.
 */
final class HistoryLostReplay {

    /** Resuming is impossible: the token fell off the oplog (286) or the stream cannot continue (280). */
    private static final Set<Integer> HISTORY_LOST = Set.of(280, 286);

    private final AlertRepository alerts;
    private final ChangePublisher publishing;
    private final PositionKeeper position;
    private final IngestMetrics metrics;
    private final Duration margin;
    private final TailerLoop loop;

    /** Re-publish the alerts changed since this time once the stream is open; null: no replay is due. */
    private Instant from;

    HistoryLostReplay(AlertRepository alerts, ChangePublisher publishing, PositionKeeper position,
            IngestMetrics metrics, Duration margin, TailerLoop loop) {
        this.alerts = alerts;
        this.publishing = publishing;
        this.position = position;
        this.metrics = metrics;
        this.margin = margin;
        this.loop = loop;
    }

    /** Whether the stream failed because it cannot resume after the stored position. */
    static boolean isHistoryLost(RuntimeException e) {
        return e instanceof MongoCommandException mce && HISTORY_LOST.contains(mce.getErrorCode());
    }

    /** Where a replay starts: the lost position's time minus the margin; the beginning when that time is unknown. */
    static Instant replayFrom(Instant positionTime, Duration margin) {
        return positionTime == null ? Instant.EPOCH : positionTime.minus(margin);
    }

    /**
     * A replayed change's id: the alert and the time of its stored state, so that replaying the same state again
     * (a stop in the middle of a replay) is recognised as a duplicate.
     */
    static String changeIdOf(String alertId, BsonDocument document) {
        BsonValue updated = document.get(AlertEntity.F_UPDATED_AT);
        String updatedAt = updated != null && updated.isDateTime()
                ? Instant.ofEpochMilli(updated.asDateTime().getValue()).toString() : "unknown";
        return "replay:" + alertId + ":" + updatedAt;
    }

    /** The stream cannot resume after the stored position: it goes on from now, and the replay is due once it is open. */
    void lost(MongoCommandException e) {
        from = replayFrom(position.time(), margin);
        metrics.historyReplay();
        Log.warnf("change stream cannot resume after %s (%s); continuing from now and re-publishing every alert "
                        + "changed since %s as an update", ChangeMapping.changeIdOf(position.token()), e.getErrorCodeName(),
                from);
        position.lost();
    }

    /**
     * Redis lost published events whose changes cannot be found again in the stream (the last surviving entry
     * is itself a replay, or unreadable): re-publish every alert changed since {@code since} (minus the margin).
     */
    void lostInRedis(Instant since) {
        from = replayFrom(since, margin);
        metrics.historyReplay();
        Log.warnf("Redis lost published events; re-publishing every alert changed since %s as an update", from);
    }

    boolean due() {
        return from != null;
    }

    /** A freshly read position replaces the lost one: if it is lost too, the stream says so again. */
    void cancel() {
        from = null;
    }

    /**
     * Re-publishes every alert with {@code updatedAt >= from}, then stores the position of the stream opened at
     * {@code openedAt}. False when the tailer stops first: the lost position stays stored, so the next start
     * replays again.
     */
    boolean run(Supplier<BsonDocument> openStreamToken, Instant openedAt) {
        long count = 0;
        try (MongoCursor<BsonDocument> changed = alerts.changedSince(from)) {
            while (changed.hasNext()) {
                if (!loop.running()) {
                    return false;
                }
                BsonDocument document = changed.next();
                String id = ChangeMapping.idOf(document.get("_id"));
                if (id == null) {
                    continue;
                }
                AlertEvent event = publishing.eventOf(MappedChange.publish(ChangeOp.UPDATED, id, document),
                        changeIdOf(id, document));
                if (event == null) {
                    continue;
                }
                Published published = publishing.publishUntilDone(event, position.sequence());
                if (published == null) {
                    return false;
                }
                position.published(published);
                count++;
            }
        }
        Log.warnf("re-published %d alert(s) changed since %s after the change stream history was lost", count, from);
        // The new position: the open stream's token when the server gave one; else keep the lost token, whose
        // replay is now short (position time = when the stream opened) and de-duplicated.
        BsonDocument token = openStreamToken.get();
        if (!position.restartAt(token != null ? token : position.storedToken(), openedAt)) {
            return false;
        }
        from = null;
        return true;
    }
}
