package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.common.retry.ConsecutiveFailures;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.pacing.Backoff;
import io.quarkus.logging.Log;

import java.time.Clock;
import java.time.Duration;

/**
 * The tailer's publishing step: turns a change into an {@link AlertEvent} and publishes it with the script
 * ({@link AlertEventPublisher}), retrying with backoff until it is published, because the stream position must
 * not move past an unpublished change. With leader election on, every publish carries the lock token (fencing:
 * see {@link dev.tocsin.ingest.leader.LeaderElection}). Counts and reports each outcome; used by the tailer's
 * thread only.
 */
final class ChangePublisher {

    private final AlertEventPublisher publisher;
    private final AlertDocumentDecoder decoder;
    private final IngestMetrics metrics;
    private final TailerStatus status;
    private final Backoff backoff;
    private final TailerLoop loop;
    private final Clock clock;
    /** The leader lock token every publish must still hold; null: publish without a leader check. */
    private volatile String leaderToken;
    /** Set after a {@link LostWritesException}: publish past the stored position until one publish succeeded. */
    private boolean republishingLost;
    private final LookedUpLater lookedUpLater = new LookedUpLater();

    ChangePublisher(AlertEventPublisher publisher, AlertDocumentDecoder decoder, IngestMetrics metrics,
            TailerStatus status, Backoff backoff, TailerLoop loop, Clock clock) {
        this.publisher = publisher;
        this.decoder = decoder;
        this.metrics = metrics;
        this.status = status;
        this.backoff = backoff;
        this.loop = loop;
        this.clock = clock;
    }

    /** From now on every publish checks that {@code leaderToken} (when not null) still holds the leader lock. */
    void fenceWith(String leaderToken) {
        this.leaderToken = leaderToken;
    }

    /**
     * The tailer went back to re-publish what Redis lost: the next publish continues after the stored position
     * instead of reporting the loss again.
     */
    void republishLost() {
        republishingLost = true;
    }

    /** The event of a change; null when its stored document is not a valid alert (counted and logged). */
    AlertEvent eventOf(MappedChange change, String changeId) {
        AlertDocumentDecoder.Decoded decoded = new AlertDocumentDecoder.Decoded(null, null);
        if (change.fullDocument() != null) {
            try {
                decoded = decoder.decodeChange(change.fullDocument());
            } catch (RuntimeException e) {
                // A document that is not an alert cannot become an event, now or on any retry.
                Log.errorf("alert %s: stored document is not a valid alert (%s); no event published",
                        change.alertId(), e.getMessage());
                metrics.skipped("undecodable");
                return null;
            }
        }
        return new AlertEvent(null, 0, change.op(), change.alertId(), decoded.alert(), changeId, clock.instant(),
                decoded.note(), lookedUpLater.stateOnly(change.alertId(), decoded.alert()));
    }

    /**
     * Publishes after {@code sequence} (the stored position, continued by a Redis that came back empty), retrying
     * with backoff until it succeeds; null when the tailer stops first. A {@link LostWritesException} is not
     * retried: the tailer must go back first.
     */
    Published publishUntilDone(AlertEvent event, SequencePosition sequence) {
        ConsecutiveFailures failures = new ConsecutiveFailures(backoff);
        while (loop.running()) {
            long started = System.nanoTime();
            try {
                Published published = publisher.publish(event, sequence, leaderToken, republishingLost);
                if (!published.duplicate()) {
                    republishingLost = false; // the history now reaches past the stored position again
                }
                if (published.duplicate()) {
                    metrics.skipped("duplicate");
                    Log.infof("%s %s (change %s) was published before as seq %d; not published again", event.op(),
                            event.alertId(), event.changeId(), published.seq());
                } else {
                    metrics.published(event.op(), Duration.ofNanos(System.nanoTime() - started));
                    Log.debugf("published %s %s as seq %d", event.op(), event.alertId(), published.seq());
                }
                status.published(published, clock.instant());
                return published;
            } catch (LostWritesException e) {
                throw e;
            } catch (RuntimeException e) {
                metrics.publishFailed();
                status.failed("publish: " + e.getClass().getSimpleName());
                Duration delay = failures.failed();
                Log.warnf("publishing %s %s failed (attempt %d: %s); retrying in %d ms", event.op(), event.alertId(),
                        failures.count(), e.getMessage(), delay.toMillis());
                loop.pause(delay);
            }
        }
        return null;
    }
}
