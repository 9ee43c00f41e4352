package dev.tocsin.relay.dispatch;

import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.escalation.EscalationPolicy;
import dev.tocsin.relay.escalation.StepSchedule;
import dev.tocsin.relay.metrics.RelayMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every {@code schedule.poll-interval}, claims the due steps (first deliveries and escalations) of all alerts and
 * runs them. Steps run independently, at most {@code schedule.batch-size} at a time per replica, so one step
 * waiting on retries does not hold up the others.
 */
@Singleton
public class StepRunner {

    private final StepSchedule schedule;
    private final StepExecutor executor;
    private final RelayMetrics metrics;
    private final RelayConfig.Schedule config;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final EscalationPolicy policy;

    public StepRunner(StepSchedule schedule, StepExecutor executor, RelayMetrics metrics, EscalationPolicy policy,
                      RelayConfig config) {
        this.schedule = schedule;
        this.policy = policy;
        this.executor = executor;
        this.metrics = metrics;
        this.config = config.schedule();
    }

    void onStart(@Observes StartupEvent event) {
        // series for every configured step from the start, so rate() works before the first escalation
        metrics.registerEscalationSteps(policy.escalationStepNames());
    }

    /**
     * One poll, on the event loop; it only claims and starts steps, it does not wait for them. A slow poll is never
     * overlapped by the next, and none starts once shutdown began (the Redis client goes soon after).
     */
    @Scheduled(identity = "relay-step-poll", every = "${tocsin.relay.schedule.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> poll() {
        int free = config.batchSize() - inFlight.get();
        if (free <= 0) {
            return Uni.createFrom().voidItem();
        }
        return schedule.claimDue(Instant.now(), free).invoke(this::start)
                .chain(schedule::pending).invoke(metrics::stepsPending).replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    Log.debugf("Polling due steps failed (retrying): %s", failure.getClass().getSimpleName());
                    return null;
                });
    }

    private void start(List<String> members) {
        for (String member : members) {
            inFlight.incrementAndGet();
            executor.run(member).onTermination().invoke(inFlight::decrementAndGet)
                    .subscribe().with(ignored -> { }, failure -> Log.warnf("Step %s ended abnormally: %s", member,
                            failure.getClass().getSimpleName()));
        }
    }
}
