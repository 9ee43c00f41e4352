package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Keeps the history stream within {@code tocsin.ingest.redis.history-max-age} (the length bound is applied by
 * every publish). Runs on every replica: trimming is idempotent and only removes entries seen to be old.
 */
@ApplicationScoped
public class HistoryTrimJob {

    private final HistoryTrimmer trimmer;
    private final IngestMetrics metrics;
    private final IngestConfig.RedisSettings settings;

    public HistoryTrimJob(HistoryTrimmer trimmer, IngestMetrics metrics, IngestConfig config) {
        this.trimmer = trimmer;
        this.metrics = metrics;
        this.settings = config.redis();
    }

    // Blocking: the scheduler runs it on a worker thread. SKIP: a slow run (Redis unreachable) is not stacked up.
    @Scheduled(identity = "history-trim", every = "${tocsin.ingest.redis.history-trim-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            long removed = trimmer.trimPublishedBefore(Instant.now().minus(settings.historyMaxAge()));
            if (removed > 0) {
                metrics.historyTrimmed(removed);
                Log.debugf("removed %d history entries older than %s", removed, settings.historyMaxAge());
            }
        } catch (RuntimeException e) {
            // The next run retries; old entries only stay a little longer.
            Log.warnf("history trim failed (%s)", e.getClass().getSimpleName());
        }
    }
}
