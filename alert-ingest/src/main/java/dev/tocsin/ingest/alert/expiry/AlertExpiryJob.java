package dev.tocsin.ingest.alert.expiry;

import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Marks active alerts whose {@code expiresAt} has passed as expired ({@code lastChange} expired), so consumers
 * stop escalating them and clients learn through the change stream. Safe on every replica at once: the update
 * is conditional on the alert still being active, so a second replica finds nothing left to change.
 */
@ApplicationScoped
public class AlertExpiryJob {

    /** Who expired an alert, as its timeline says. */
    public static final String ACTOR = "system:expiry";

    private final AlertRepository repository;
    private final IngestMetrics metrics;
    private final IngestConfig.ExpirySettings settings;

    public AlertExpiryJob(AlertRepository repository, IngestMetrics metrics, IngestConfig config) {
        this.repository = repository;
        this.metrics = metrics;
        this.settings = config.expiry();
    }

    // A blocking method: the scheduler runs it on a worker thread, never on the event loop. SKIP: a slow run
    // (store unreachable) is not stacked up behind itself.
    @Scheduled(identity = "alert-expiry", every = "${tocsin.ingest.expiry.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (!settings.enabled()) {
            return;
        }
        try {
            expireDue();
        } catch (RuntimeException e) {
            // The next run retries; nothing is lost by skipping one.
            Log.warnf("expiry run failed (%s); retrying in %s", e.getClass().getSimpleName(), settings.interval());
        }
    }

    /** Expires what is due now; returns how many alerts changed. */
    public long expireDue() {
        long expired = repository.expire(StoreTime.now(), ACTOR);
        if (expired > 0) {
            metrics.expired(expired);
            Log.infof("%d alert(s) expired", expired);
        }
        return expired;
    }
}
