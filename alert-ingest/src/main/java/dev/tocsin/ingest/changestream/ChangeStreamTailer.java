package dev.tocsin.ingest.changestream;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCursor;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.common.retry.ConsecutiveFailures;
import dev.tocsin.ingest.common.worker.WorkerThread;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.pacing.Backoff;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * <p>This class is the loop; its steps are classes of their own. Per change: map it ({@link ChangeMapping}),
 * publish it ({@link ChangePublisher}: retried with backoff until it succeeds), then store its position
 * ({@link PositionKeeper}; once per batch of changes already read). If the stream fails, it is reopened with
 * backoff after the last published change; when that token has aged out of the oplog, {@link HistoryLostReplay}
 * re-publishes what changed since. What readiness reports is in {@link TailerStatus}.
 *
 * <p>With leader election on, the tailer runs only on the replica that holds the leader lock, and every publish
 * carries the lock token (fencing): see {@link dev.tocsin.ingest.leader.LeaderElection}.
 */
@Singleton
public class ChangeStreamTailer {

    private final AlertRepository alerts;
    private final IngestMetrics metrics;
    private final IngestConfig.ChangeStreamSettings settings;
    private final Backoff backoff;
    private final TailerStatus status;
    private final WorkerThread loop = new WorkerThread("tocsin-change-stream");
    private final PositionKeeper position;
    private final ChangePublisher publishing;
    private final HistoryLostReplay replay;
    private final ChangeTimes times = new ChangeTimes(Clock.systemUTC());

    public ChangeStreamTailer(AlertRepository alerts, TailerStatus status, AlertEventPublisher publisher,
            ResumeTokenStore tokenStore, AlertDocumentDecoder decoder, IngestMetrics metrics, IngestConfig config,
            AlertWriteSignal alertWrites) {
        this.alerts = alerts;
        this.metrics = metrics;
        this.settings = config.changeStream();
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        this.status = status;
        TailerLoop steps = new TailerLoop() {
            @Override
            public boolean running() {
                return loop.running();
            }

            @Override
            public void pause(Duration delay) {
                loop.pause(delay);
            }

            @Override
            public void sleep(Duration delay) {
                sleepQuietly(delay);
            }
        };
        this.position = new PositionKeeper(tokenStore, settings.streamId(), settings.idleTokenSaveInterval(), backoff,
                status, steps, System::nanoTime);
        this.publishing = new ChangePublisher(publisher, decoder, metrics, status, backoff, steps, Clock.systemUTC());
        this.replay = new HistoryLostReplay(alerts, publishing, position, metrics, settings.replayMargin(), steps);
        metrics.streamOpenGauge(status::isOpen);
        alertWrites.onWrite(loop::wake);
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
        publishing.fenceWith(leaderToken);
        position.unload();
        loop.start(this::run);
        Log.infof("change stream tailer started on %s", alerts.namespace());
    }

    /**
     * Stops after the change in hand (its publish completes or is abandoned; a published change's position is
     * stored), stores the latest resume token, and waits for the thread.
     */
    public synchronized void stop() {
        if (!loop.stop(settings.stopTimeout(), Duration.ofSeconds(1))) {
            return;
        }
        status.closed();
        publishing.fenceWith(null);
        Log.info("change stream tailer stopped");
    }

    public boolean isRunning() {
        return loop.running();
    }

    public TailerStatus status() {
        return status;
    }

    private void run() {
        ConsecutiveFailures reopenFailures = new ConsecutiveFailures(backoff);
        while (loop.running()) {
            try {
                if (!position.loaded()) {
                    position.load();
                    replay.cancel();
                }
                tail(reopenFailures);
            } catch (RuntimeException e) {
                status.closed();
                if (!loop.running()) {
                    break;
                }
                status.failed(e.getClass().getSimpleName());
                if (e instanceof LostWritesException lost) {
                    rewindAfterLostWrites(lost);
                    continue; // reopen at once after the last event Redis still has
                }
                if (HistoryLostReplay.isHistoryLost(e) && position.token() != null) {
                    replay.lost((MongoCommandException) e);
                    continue; // reopen from now at once; the replay runs as soon as the stream is open
                }
                metrics.reconnected();
                Duration delay = reopenFailures.failed();
                Log.warnf("change stream failed (%s: %s); reopening in %d ms", status.lastError(), e.getMessage(),
                        delay.toMillis());
                loop.pause(delay);
            } finally {
                status.closed();
            }
        }
    }

    /**
     * Redis no longer has what this tailer published after its last surviving history entry (a Sentinel failover
     * to a replica that lagged, a restore from an older snapshot). MongoDB's change stream is the record: the
     * stream goes back to just after that entry's change (its {@code changeId} is the change's resume token) and
     * every change from there is published again, at positions after the stored one; consumers that had them
     * drop them by {@code changeId}. When the entry is not a change of the stream (a history-lost replay's), the
     * alerts changed since it was published are re-published instead. Either way the next publish is told that
     * the loss is known, so it continues the sequence instead of reporting it again.
     */
    private void rewindAfterLostWrites(LostWritesException lost) {
        metrics.reconnected();
        AlertEvent surviving = lost.survivingEvent();
        String changeId = surviving == null ? null : surviving.changeId();
        Instant publishedAt = surviving == null || surviving.publishedAt() == null ? null : surviving.publishedAt();
        if (changeId != null && !changeId.startsWith("replay:") && !changeId.startsWith("{")) {
            Log.warnf("Redis lost the events after seq %d (stored position: seq %d); re-publishing every change "
                    + "after change %s", lost.survivingSeq(), position.sequence().lastSeq(), changeId);
            position.rewind(new BsonDocument("_data", new BsonString(changeId)), changeId, publishedAt);
        } else {
            replay.lostInRedis(publishedAt);
        }
        publishing.republishLost();
    }

    /** Reads the stream until it fails, is invalidated, or the tailer stops. */
    private void tail(ConsecutiveFailures reopenFailures) {
        Instant openedAt = Instant.now();
        try (MongoCursor<BsonDocument> cursor = alerts.openChangeStream(position.token(), settings.maxAwait())) {
            status.opened();
            if (replay.due() && !replay.run(() -> PositionKeeper.resumeTokenOf(cursor), openedAt)) {
                return; // stopping: the lost position stays stored, so the next start replays again
            }
            while (loop.running()) {
                long polledAt = System.nanoTime();
                Instant polledAtWall = Instant.now();
                BsonDocument event = cursor.tryNext();
                long receivedAt = System.nanoTime();
                reopenFailures.reset();
                if (event == null) {
                    position.saveIdle(PositionKeeper.resumeTokenOf(cursor), polledAtWall, false);
                    idleIfServerDidNotWait(polledAt);
                    continue;
                }
                if (!handle(event, receivedAt, cursor.available() > 0)) {
                    position.storeAdvanced(); // stopping within a batch: store what was published
                    return; // invalidated, or stopping
                }
            }
            // Stopping between changes: store how far the stream has read, so the next leader starts there.
            position.storeAdvanced();
            position.saveIdle(PositionKeeper.resumeTokenOf(cursor), Instant.now(), true);
        }
    }

    /**
     * Some servers (the embedded test server among them) answer a getMore at once instead of waiting up to
     * maxAwaitTime; a short pause ({@code idle-poll-interval}) keeps the loop from spinning there. A real replica
     * set waits server-side. The pause ends early when this process writes an alert ({@link AlertWriteSignal}), so
     * on such a server a change made here is not held up by it.
     */
    private void idleIfServerDidNotWait(long polledAtNanos) {
        long waitedMillis = (System.nanoTime() - polledAtNanos) / 1_000_000;
        if (waitedMillis < settings.maxAwait().toMillis() / 2) {
            loop.pauseUntilWoken(settings.idlePollInterval());
        }
    }

    /**
     * Publishes and stores one change, received from the stream at {@code receivedAt} ({@link System#nanoTime()}).
     * With {@code moreInHand} (the cursor's batch holds further changes) storing the position may wait for a later
     * change of the batch ({@link PositionKeeper}): one store per batch instead of one per change when changes queue
     * up. False when the stream must be reopened or the tailer is stopping.
     */
    private boolean handle(BsonDocument event, long receivedAt, boolean moreInHand) {
        BsonDocument token = event.getDocument("_id");
        String changeId = ChangeMapping.changeIdOf(token);
        MappedChange change = ChangeMapping.map(event);
        switch (change.kind()) {
            case PUBLISH -> {
                AlertEvent alertEvent = publishing.eventOf(change, changeId);
                if (alertEvent == null) {
                    break; // undecodable: counted and logged by eventOf
                }
                Published published = publishing.publishUntilDone(alertEvent, position.sequence());
                if (published == null) {
                    return false; // stopping before it was published: the position stays before this change
                }
                recordStages(alertEvent, published, receivedAt);
                position.published(published);
                metrics.lag(times.lagOf(event));
            }
            case SKIP -> metrics.skipped(change.reason());
            case INVALIDATE -> Log.warn("change stream invalidated (collection dropped or renamed); reopening after it");
        }
        if (!position.advance(token, changeId, times.timeOf(event), moreInHand)) {
            return false;
        }
        return change.kind() != MappedChange.Kind.INVALIDATE && loop.running();
    }

    /** The stage histograms of a change just published (a duplicate was published before: not timed again). */
    private void recordStages(AlertEvent event, Published published, long receivedAt) {
        if (published.duplicate()) {
            return;
        }
        metrics.receivePublished(receivedAt);
        if (event.op() == ChangeOp.CREATED && event.alert() != null && event.alert().createdAt() != null) {
            metrics.insertPublished(Duration.between(event.alert().createdAt(), Instant.now()));
        }
    }

    private static void sleepQuietly(Duration delay) {
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
