package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.common.retry.ConsecutiveFailures;
import dev.tocsin.ingest.common.worker.WorkerThread;
import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.ChangeStreamIterable;
import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.pacing.Backoff;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tails the {@code alerts} change stream and publishes every change to Redis, in order, at least once.
 *
 * <p><b>Why a dedicated thread with the blocking driver</b> (and not Mutiny's reactive {@code watch()}): the work
 * is strictly sequential (one change at a time, publish, then persist the position, retry in place on failure),
 * which is a plain loop on one thread; with a reactive stream the same guarantees need explicit demand control
 * and retry operators that make a skipped or reordered change easy to introduce. One thread per service is
 * cheap, never touches the Vert.x event loop, and the blocking cursor opens synchronously, so "open" means open.
 *
 * <p>Per change: map it ({@link ChangeMapping}), publish it with the Lua script (retried with backoff until it
 * succeeds: the stream position does not move past an unpublished change), then store the resume token
 * ({@link ResumeTokenStore}). A crash between publish and store republishes that change on restart with the same
 * {@code changeId}, which the script recognises and does not publish twice. If the stream fails, it is reopened
 * with backoff after the last stored token.
 *
 * <p>The stored position carries the last published {@code (epoch, seq)}, handed to the script with every publish
 * so that a Redis that came back empty continues the sequence. On a quiet stream the server's post-batch resume
 * token is stored every {@code idle-token-save-interval}, so the stored token does not age out of the oplog.
 * When it did anyway (ChangeStreamHistoryLost), the alerts changed since the stored position are re-published
 * from the store as {@code updated} events before the stream continues from now.
 *
 * <p>With leader election on, the tailer runs only on the replica that holds the leader lock, and every publish
 * carries the lock token (fencing): see {@link dev.tocsin.ingest.leader.LeaderElection}.
 */
@Singleton
public class ChangeStreamTailer {

    /** Resuming is impossible: the token fell off the oplog (286) or the stream cannot continue (280). */
    private static final Set<Integer> HISTORY_LOST = Set.of(280, 286);

    private final MongoClient mongo;
    private final String database;
    private final AlertEventPublisher publisher;
    private final ResumeTokenStore tokenStore;
    private final AlertDocumentDecoder decoder;
    private final IngestMetrics metrics;
    private final IngestConfig.ChangeStreamSettings settings;
    private final Backoff backoff;

    private volatile boolean open;
    private final WorkerThread loop = new WorkerThread("tocsin-change-stream");
    /** The leader lock token every publish must still hold; null: publish without a leader check. */
    private volatile String leaderToken;
    private volatile String lastChangeId;
    private volatile long lastSeq = -1;
    private volatile String epoch;
    private volatile Instant lastPublishedAt;
    /** Exception class only: the health endpoint is public and messages may name hosts. */
    private volatile String lastError;

    // Only the tailer thread reads and writes these.
    /** The last token that was stored (null: start from now). */
    private BsonDocument position;
    /** The store's time of the change at {@link #position} (null: unknown). */
    private Instant positionTime;
    /** The last published position, stored with the token. */
    private SequencePosition sequence = SequencePosition.NONE;
    private boolean positionLoaded;
    /** Set when the stored position was lost: re-publish alerts changed since this time once the stream is open. */
    private Instant replayFrom;
    private boolean replayPending;
    private long lastSavedNanos;

    public ChangeStreamTailer(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database,
            AlertEventPublisher publisher, ResumeTokenStore tokenStore, AlertDocumentDecoder decoder,
            IngestMetrics metrics, IngestConfig config) {
        this.mongo = mongo;
        this.database = database;
        this.publisher = publisher;
        this.tokenStore = tokenStore;
        this.decoder = decoder;
        this.metrics = metrics;
        this.settings = config.changeStream();
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        metrics.streamOpenGauge(this::isOpen);
    }

    /** Starts without a leader check (a single replica). */
    public void start() {
        start(null);
    }

    /** Starts; every publish checks that {@code leaderToken} (when not null) still holds the leader lock. */
    public synchronized void start(String leaderToken) {
        if (loop.running()) {
            return;
        }
        this.leaderToken = leaderToken;
        positionLoaded = false;
        loop.start(this::run);
        Log.infof("change stream tailer started on %s.%s", database, AlertEntity.COLLECTION);
    }

    /**
     * Stops after the change in hand (its publish completes or is abandoned; a published change's position is
     * stored), stores the latest resume token, and waits for the thread.
     */
    public synchronized void stop() {
        if (!loop.stop(settings.stopTimeout(), Duration.ofSeconds(1))) {
            return;
        }
        open = false;
        leaderToken = null;
        Log.info("change stream tailer stopped");
    }

    public boolean isRunning() {
        return loop.running();
    }

    /** True while the stream is open and being read. */
    public boolean isOpen() {
        return open;
    }

    public String lastChangeId() {
        return lastChangeId;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public String epoch() {
        return epoch;
    }

    public Instant lastPublishedAt() {
        return lastPublishedAt;
    }

    public String lastError() {
        return lastError;
    }

    private void run() {
        ConsecutiveFailures reopen = new ConsecutiveFailures(backoff);
        while (loop.running()) {
            try {
                if (!positionLoaded) {
                    loadPosition();
                }
                tail(reopen);
            } catch (RuntimeException e) {
                open = false;
                if (!loop.running()) {
                    break;
                }
                lastError = e.getClass().getSimpleName();
                if (e instanceof MongoCommandException mce && HISTORY_LOST.contains(mce.getErrorCode()) && position != null) {
                    historyLost(mce);
                    continue; // reopen from now at once; the replay runs as soon as the stream is open
                }
                metrics.reconnected();
                Duration delay = reopen.failed();
                Log.warnf("change stream failed (%s: %s); reopening in %d ms", lastError, e.getMessage(), delay.toMillis());
                pause(delay);
            } finally {
                open = false;
            }
        }
    }

    private void loadPosition() {
        ResumeTokenStore.State state = tokenStore.load(settings.streamId()).orElse(null);
        position = state == null ? null : state.token();
        positionTime = state == null ? null : state.positionTime();
        sequence = state == null ? SequencePosition.NONE : state.sequence();
        lastChangeId = state == null ? null : state.changeId();
        epoch = sequence.epoch();
        lastSeq = sequence.lastSeq();
        replayPending = false;
        positionLoaded = true;
        Log.infof("change stream resumes %s%s", position == null ? "from now (no stored position)"
                        : "after change " + ChangeMapping.changeIdOf(position),
                sequence.known() ? " with epoch " + sequence.epoch() + " seq " + sequence.lastSeq() : "");
    }

    /**
     * The stored position is gone from the oplog: waiting cannot bring it back. Instead of skipping what changed
     * in between, re-publish every alert changed since the stored position (minus a margin for clock skew) once
     * the stream is open again at the current time.
     */
    private void historyLost(MongoCommandException e) {
        replayFrom = positionTime == null ? Instant.EPOCH : positionTime.minus(settings.replayMargin());
        replayPending = true;
        metrics.historyReplay();
        Log.warnf("change stream cannot resume after %s (%s); continuing from now and re-publishing every alert "
                        + "changed since %s as an update", ChangeMapping.changeIdOf(position), e.getErrorCodeName(),
                replayFrom);
        position = null;
    }

    /** Reads the stream until it fails, is invalidated, or the tailer stops. */
    private void tail(ConsecutiveFailures reopen) {
        ChangeStreamIterable<BsonDocument> watch = mongo.getDatabase(database)
                .getCollection(AlertEntity.COLLECTION, BsonDocument.class)
                .watch(BsonDocument.class)
                .fullDocument(FullDocument.UPDATE_LOOKUP)
                .maxAwaitTime(settings.maxAwait().toMillis(), TimeUnit.MILLISECONDS);
        if (position != null) {
            // startAfter (not resumeAfter) also accepts the token of an invalidate event.
            watch = watch.startAfter(position);
        }
        Instant openedAt = Instant.now();
        // Raw events rather than ChangeStreamDocument: the tailer decides what an odd event means instead of
        // failing in the driver's decoder and looping on the same event forever.
        try (MongoCursor<BsonDocument> cursor = watch.withDocumentClass(BsonDocument.class).cursor()) {
            open = true;
            lastError = null;
            if (replayPending && !replay(cursor, openedAt)) {
                return; // stopping: the lost position stays stored, so the next start replays again
            }
            while (loop.running()) {
                long polledAt = System.nanoTime();
                Instant polledAtWall = Instant.now();
                BsonDocument event = cursor.tryNext();
                reopen.reset();
                if (event == null) {
                    saveIdleToken(cursor, polledAtWall, false);
                    idleIfServerDidNotWait(polledAt);
                    continue;
                }
                if (!handle(event)) {
                    return; // invalidated, or stopping
                }
            }
            // Stopping between changes: store how far the stream has read, so the next leader starts there.
            saveIdleToken(cursor, Instant.now(), true);
        }
    }

    /**
     * Stores the cursor's resume token when it moved past the stored one without a change (the server's
     * post-batch token on a quiet stream), at most every {@code idle-token-save-interval} unless forced. On a
     * server that sends no post-batch token (the embedded test server) the token equals the stored one: no-op.
     */
    private void saveIdleToken(MongoCursor<BsonDocument> cursor, Instant polledAt, boolean force) {
        BsonDocument token = resumeTokenOf(cursor);
        if (token == null || token.equals(position)) {
            return;
        }
        if (!force && System.nanoTime() - lastSavedNanos < settings.idleTokenSaveInterval().toNanos()) {
            return;
        }
        Instant time = clusterTimeOf(token);
        ResumeTokenStore.State state = new ResumeTokenStore.State(token, lastChangeId, sequence,
                time != null ? time : polledAt);
        try {
            tokenStore.save(settings.streamId(), state);
            position = token;
            positionTime = state.positionTime();
            lastSavedNanos = System.nanoTime();
            Log.debugf("stored the quiet stream's resume token %s", ChangeMapping.changeIdOf(token));
        } catch (RuntimeException e) {
            // Not fatal: the previous position is still valid, only older; the next idle poll retries.
            Log.warnf("storing the quiet stream's resume token failed (%s)", e.getClass().getSimpleName());
        }
    }

    /**
     * The cursor's current resume token: the server's post-batch token when it sends one, else the last event's
     * token, else the token the stream was opened after. The driver's change stream cursor is a
     * {@link MongoChangeStreamCursor} also behind {@code withDocumentClass}; null when it is not.
     */
    private static BsonDocument resumeTokenOf(MongoCursor<BsonDocument> cursor) {
        if (cursor instanceof MongoChangeStreamCursor<?> changeStream) {
            try {
                return changeStream.getResumeToken();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Re-publishes every alert with {@code updatedAt >= replayFrom} as an {@code updated} event (oldest change
     * first), then stores the new position. The stream is already open, so nothing that changes meanwhile is
     * missed (it may arrive twice: once replayed, once from the stream, the later one carrying the newer state).
     * Deleted alerts cannot be replayed (they are gone from the store). False when the tailer stops first.
     */
    private boolean replay(MongoCursor<BsonDocument> cursor, Instant openedAt) {
        Instant from = replayFrom;
        long count = 0;
        try (MongoCursor<BsonDocument> alerts = mongo.getDatabase(database)
                .getCollection(AlertEntity.COLLECTION, BsonDocument.class)
                .find(Filters.gte(AlertEntity.F_UPDATED_AT, Date.from(from)))
                .sort(Sorts.ascending(AlertEntity.F_UPDATED_AT, "_id"))
                .iterator()) {
            while (alerts.hasNext()) {
                if (!loop.running()) {
                    return false;
                }
                BsonDocument document = alerts.next();
                String id = ChangeMapping.idOf(document.get("_id"));
                if (id == null) {
                    continue;
                }
                BsonValue updated = document.get(AlertEntity.F_UPDATED_AT);
                String updatedAt = updated != null && updated.isDateTime()
                        ? Instant.ofEpochMilli(updated.asDateTime().getValue()).toString() : "unknown";
                AlertEvent event = toEvent(MappedChange.publish(ChangeOp.UPDATED, id, document),
                        "replay:" + id + ":" + updatedAt);
                if (event == null) {
                    continue;
                }
                Published published = publishUntilDone(event);
                if (published == null) {
                    return false;
                }
                sequence = sequence.after(published);
                count++;
            }
        }
        Log.warnf("re-published %d alert(s) changed since %s after the change stream history was lost", count, from);
        // The new position: the open stream's token when the server gave one; else keep the lost token, whose
        // replay is now short (position time = when the stream opened) and de-duplicated.
        BsonDocument token = resumeTokenOf(cursor);
        ResumeTokenStore.State lost = tokenStore.load(settings.streamId()).orElse(null);
        BsonDocument stored = token != null ? token : lost == null ? null : lost.token();
        if (!storeUntilDone(new ResumeTokenStore.State(stored, lastChangeId, sequence, openedAt))) {
            return false;
        }
        position = stored;
        positionTime = openedAt;
        replayPending = false;
        replayFrom = null;
        return true;
    }

    /**
     * Some servers (the embedded test server among them) answer a getMore at once instead of waiting up to
     * maxAwaitTime; a short pause keeps the loop from spinning there. A real replica set waits server-side.
     */
    private void idleIfServerDidNotWait(long polledAtNanos) {
        long waitedMillis = (System.nanoTime() - polledAtNanos) / 1_000_000;
        long expected = settings.maxAwait().toMillis();
        if (waitedMillis < expected / 2) {
            pause(Duration.ofMillis(Math.min(50, expected)));
        }
    }

    /** Publishes and stores one change. False when the stream must be reopened or the tailer is stopping. */
    private boolean handle(BsonDocument event) {
        BsonDocument token = event.getDocument("_id");
        String changeId = ChangeMapping.changeIdOf(token);
        MappedChange change = ChangeMapping.map(event);
        switch (change.kind()) {
            case PUBLISH -> {
                AlertEvent alertEvent = toEvent(change, changeId);
                if (alertEvent == null) {
                    break; // undecodable: counted and logged in toEvent
                }
                Published published = publishUntilDone(alertEvent);
                if (published == null) {
                    return false; // stopping before it was published: the position stays before this change
                }
                sequence = sequence.after(published);
                metrics.lag(lagOf(event));
            }
            case SKIP -> metrics.skipped(change.reason());
            case INVALIDATE -> Log.warn("change stream invalidated (collection dropped or renamed); reopening after it");
        }
        Instant changeTime = timeOf(event);
        if (!storeUntilDone(new ResumeTokenStore.State(token, changeId, sequence, changeTime))) {
            return false;
        }
        position = token;
        positionTime = changeTime;
        lastChangeId = changeId;
        lastSavedNanos = System.nanoTime();
        return change.kind() != MappedChange.Kind.INVALIDATE && loop.running();
    }

    private AlertEvent toEvent(MappedChange change, String changeId) {
        Alert alert = null;
        if (change.fullDocument() != null) {
            try {
                alert = decoder.decode(change.fullDocument());
            } catch (RuntimeException e) {
                // A document that is not an alert cannot become an event, now or on any retry.
                Log.errorf("alert %s: stored document is not a valid alert (%s); no event published",
                        change.alertId(), e.getMessage());
                metrics.skipped("undecodable");
                return null;
            }
        }
        return new AlertEvent(null, 0, change.op(), change.alertId(), alert, changeId, Instant.now());
    }

    /** Publishes, retrying with backoff until it succeeds; null when the tailer stops first. */
    private Published publishUntilDone(AlertEvent event) {
        ConsecutiveFailures failures = new ConsecutiveFailures(backoff);
        while (loop.running()) {
            long started = System.nanoTime();
            try {
                Published published = publisher.publish(event, sequence, leaderToken);
                if (published.duplicate()) {
                    metrics.skipped("duplicate");
                    Log.infof("%s %s (change %s) was published before as seq %d; not published again", event.op(),
                            event.alertId(), event.changeId(), published.seq());
                } else {
                    metrics.published(event.op(), Duration.ofNanos(System.nanoTime() - started));
                    lastPublishedAt = Instant.now();
                    Log.debugf("published %s %s as seq %d", event.op(), event.alertId(), published.seq());
                }
                lastSeq = Math.max(lastSeq, published.seq());
                epoch = published.epoch().isEmpty() ? epoch : published.epoch();
                return published;
            } catch (RuntimeException e) {
                metrics.publishFailed();
                lastError = "publish: " + e.getClass().getSimpleName();
                Duration delay = failures.failed();
                Log.warnf("publishing %s %s failed (attempt %d: %s); retrying in %d ms", event.op(), event.alertId(),
                        failures.count(), e.getMessage(), delay.toMillis());
                pause(delay);
            }
        }
        return null;
    }

    /**
     * Stores the position, retrying with backoff. When the tailer is stopping, a published change's position is
     * still stored (a few quick attempts), so a graceful stop does not leave a replay behind. False when it could
     * not be stored (the change is then replayed by the next leader and recognised as a duplicate).
     */
    private boolean storeUntilDone(ResumeTokenStore.State state) {
        ConsecutiveFailures failures = new ConsecutiveFailures(backoff);
        int attemptsWhileStopping = 0;
        while (true) {
            try {
                tokenStore.save(settings.streamId(), state);
                return true;
            } catch (RuntimeException e) {
                lastError = "store position: " + e.getClass().getSimpleName();
                if (!loop.running() && ++attemptsWhileStopping >= 3) {
                    Log.warnf("storing the stream position failed while stopping (%s); the change will be replayed",
                            e.getMessage());
                    return false;
                }
                Duration delay = loop.running() ? failures.failed() : Duration.ofMillis(100);
                Log.warnf("storing the stream position failed (%s); retrying in %d ms", e.getMessage(), delay.toMillis());
                if (loop.running()) {
                    pause(delay);
                } else {
                    sleepQuietly(delay);
                }
            }
        }
    }

    /** now − the change's wall time (MongoDB 6+), else its cluster time (second precision). */
    static Duration lagOf(BsonDocument event) {
        Instant time = storeTimeOf(event);
        return time == null ? Duration.ofMillis(-1) : Duration.between(time, Instant.now());
    }

    /** The store's time of the change (wall time, else cluster time); the local clock when it has neither. */
    static Instant timeOf(BsonDocument event) {
        Instant time = storeTimeOf(event);
        return time != null ? time : Instant.now();
    }

    private static Instant storeTimeOf(BsonDocument event) {
        BsonValue wall = event.get("wallTime");
        if (wall != null && wall.isDateTime()) {
            return Instant.ofEpochMilli(wall.asDateTime().getValue());
        }
        BsonValue cluster = event.get("clusterTime");
        if (cluster != null && cluster.isTimestamp()) {
            return Instant.ofEpochSecond(cluster.asTimestamp().getTime());
        }
        return null;
    }

    /**
     * The cluster time inside a MongoDB resume token: its {@code _data} is a hex KeyString that starts with the
     * type byte {@code 82} (timestamp) followed by the seconds (4 bytes, big-endian) and increment. Null for any
     * other shape (the embedded server's tokens, future formats).
     */
    static Instant clusterTimeOf(BsonDocument token) {
        BsonValue data = token.get("_data");
        if (data == null || !data.isString()) {
            return null;
        }
        String hex = data.asString().getValue();
        if (hex.length() < 10 || !hex.regionMatches(true, 0, "82", 0, 2)) {
            return null;
        }
        try {
            long seconds = Long.parseLong(hex.substring(2, 10), 16);
            return Instant.ofEpochSecond(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Waits, waking early when the tailer stops. */
    private void pause(Duration delay) {
        loop.pause(delay);
    }

    private static void sleepQuietly(Duration delay) {
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
