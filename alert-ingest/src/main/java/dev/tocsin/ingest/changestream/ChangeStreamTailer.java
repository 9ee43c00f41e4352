package dev.tocsin.ingest.changestream;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.ChangeStreamIterable;
import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.event.AlertEvent;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
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
 * {@code changeId}. If the stream fails, it is reopened with backoff after the last stored token.
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

    private volatile boolean running;
    private volatile boolean open;
    private volatile Thread thread;
    private volatile CountDownLatch stopSignal = new CountDownLatch(0);
    private volatile String lastChangeId;
    private volatile long lastSeq = -1;
    private volatile Instant lastPublishedAt;
    /** Exception class only: the health endpoint is public and messages may name hosts. */
    private volatile String lastError;

    /** Only the tailer thread reads and writes this: the last token that was stored (null: start from now). */
    private BsonDocument position;
    private boolean positionLoaded;

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
        metrics.streamOpenGauge(this::isOpen);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        positionLoaded = false;
        stopSignal = new CountDownLatch(1);
        Thread worker = new Thread(this::run, "tocsin-change-stream");
        worker.setDaemon(true);
        thread = worker;
        worker.start();
        Log.infof("change stream tailer started on %s.%s", database, AlertEntity.COLLECTION);
    }

    /** Stops after the change in hand (its publish and store complete or are abandoned) and waits for the thread. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopSignal.countDown();
        Thread worker = thread;
        if (worker != null) {
            try {
                worker.join(settings.stopTimeout().toMillis());
                if (worker.isAlive()) {
                    Log.warn("change stream tailer did not stop in time; interrupting it");
                    worker.interrupt();
                    worker.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
        open = false;
        Log.info("change stream tailer stopped");
    }

    public boolean isRunning() {
        return running;
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

    public Instant lastPublishedAt() {
        return lastPublishedAt;
    }

    public String lastError() {
        return lastError;
    }

    private void run() {
        Backoff reopen = new Backoff(settings.backoffInitial(), settings.backoffMax());
        while (running) {
            try {
                if (!positionLoaded) {
                    position = tokenStore.load(settings.streamId()).orElse(null);
                    positionLoaded = true;
                    Log.infof("change stream resumes %s", position == null ? "from now (no stored position)"
                            : "after change " + ChangeMapping.changeIdOf(position));
                }
                tail(reopen);
            } catch (RuntimeException e) {
                open = false;
                if (!running) {
                    break;
                }
                lastError = e.getClass().getSimpleName();
                if (e instanceof MongoCommandException mce && HISTORY_LOST.contains(mce.getErrorCode()) && position != null) {
                    // The stored position is gone from the oplog: waiting cannot bring it back. Continue from now
                    // and say loudly that changes between the old position and now were not published.
                    Log.errorf("change stream cannot resume after %s (%s); continuing from now: changes in between "
                            + "were NOT published", ChangeMapping.changeIdOf(position), mce.getErrorCodeName());
                    position = null;
                }
                metrics.reconnected();
                Duration delay = reopen.nextDelay();
                Log.warnf("change stream failed (%s: %s); reopening in %d ms", lastError, e.getMessage(), delay.toMillis());
                pause(delay);
            } finally {
                open = false;
            }
        }
    }

    /** Reads the stream until it fails, is invalidated, or the tailer stops. */
    private void tail(Backoff reopen) {
        ChangeStreamIterable<BsonDocument> watch = mongo.getDatabase(database)
                .getCollection(AlertEntity.COLLECTION, BsonDocument.class)
                .watch(BsonDocument.class)
                .fullDocument(FullDocument.UPDATE_LOOKUP)
                .maxAwaitTime(settings.maxAwait().toMillis(), TimeUnit.MILLISECONDS);
        if (position != null) {
            // startAfter (not resumeAfter) also accepts the token of an invalidate event.
            watch = watch.startAfter(position);
        }
        // Raw events rather than ChangeStreamDocument: the tailer decides what an odd event means instead of
        // failing in the driver's decoder and looping on the same event forever.
        try (MongoCursor<BsonDocument> cursor = watch.withDocumentClass(BsonDocument.class).cursor()) {
            open = true;
            lastError = null;
            while (running) {
                long polledAt = System.nanoTime();
                BsonDocument event = cursor.tryNext();
                reopen.reset();
                if (event == null) {
                    idleIfServerDidNotWait(polledAt);
                    continue;
                }
                if (!handle(event)) {
                    return; // invalidated, or stopping
                }
            }
        }
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
        long seq = -1;
        switch (change.kind()) {
            case PUBLISH -> {
                AlertEvent alertEvent = toEvent(change, changeId);
                if (alertEvent == null) {
                    break; // undecodable: counted and logged in toEvent
                }
                seq = publishUntilDone(alertEvent);
                if (seq < 0) {
                    return false; // stopping before it was published: the position stays before this change
                }
                metrics.lag(lagOf(event));
            }
            case SKIP -> metrics.skipped(change.reason());
            case INVALIDATE -> Log.warn("change stream invalidated (collection dropped or renamed); reopening after it");
        }
        if (!storeUntilDone(token, changeId, seq)) {
            return false;
        }
        position = token;
        lastChangeId = changeId;
        return change.kind() != MappedChange.Kind.INVALIDATE && running;
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

    /** Publishes, retrying with backoff until it succeeds; -1 when the tailer stops first. */
    private long publishUntilDone(AlertEvent event) {
        Backoff backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        while (running) {
            long started = System.nanoTime();
            try {
                long seq = publisher.publish(event);
                metrics.published(event.op(), Duration.ofNanos(System.nanoTime() - started));
                lastSeq = seq;
                lastPublishedAt = Instant.now();
                Log.debugf("published %s %s as seq %d", event.op(), event.alertId(), seq);
                return seq;
            } catch (RuntimeException e) {
                metrics.publishFailed();
                lastError = "publish: " + e.getClass().getSimpleName();
                Duration delay = backoff.nextDelay();
                Log.warnf("publishing %s %s failed (attempt %d: %s); retrying in %d ms", event.op(), event.alertId(),
                        backoff.failures(), e.getMessage(), delay.toMillis());
                pause(delay);
            }
        }
        return -1;
    }

    /** Stores the position, retrying with backoff; false when the tailer stops first (the change is republished). */
    private boolean storeUntilDone(BsonDocument token, String changeId, long seq) {
        Backoff backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        while (running) {
            try {
                tokenStore.save(settings.streamId(), token, changeId, seq);
                return true;
            } catch (RuntimeException e) {
                lastError = "store position: " + e.getClass().getSimpleName();
                Duration delay = backoff.nextDelay();
                Log.warnf("storing the stream position failed (%s); retrying in %d ms", e.getMessage(), delay.toMillis());
                pause(delay);
            }
        }
        return false;
    }

    /** now − the change's wall time (MongoDB 6+), else its cluster time (second precision). */
    static Duration lagOf(BsonDocument event) {
        BsonValue wall = event.get("wallTime");
        if (wall != null && wall.isDateTime()) {
            return Duration.ofMillis(System.currentTimeMillis() - wall.asDateTime().getValue());
        }
        BsonValue cluster = event.get("clusterTime");
        if (cluster != null && cluster.isTimestamp()) {
            return Duration.ofMillis(System.currentTimeMillis() - cluster.asTimestamp().getTime() * 1000L);
        }
        return Duration.ofMillis(-1);
    }

    /** Waits, waking early when the tailer stops. */
    private void pause(Duration delay) {
        try {
            stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
