package dev.tocsin.relay.event.redis;

import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.event.metrics.EventMetrics;
import dev.tocsin.relay.event.service.EventIntake;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the relay subscribed to the events channel ({@code <prefix>events}) and hands every message to
 * {@link EventIntake}.
 *
 * <p>Pub/sub has no replay, so the subscription must come back by itself when Redis restarts or the connection
 * drops: a lost subscription is re-established at once and, while Redis stays unreachable, retried with
 * exponential backoff. Startup never waits for Redis; readiness says whether the subscription is live.
 *
 * <p>Each subscribe attempt is an {@link Attempt}; only the attempt that is currently active may deliver messages
 * or trigger a resubscription, so a late answer from an abandoned attempt can neither double-count events nor
 * start a second subscription loop.
 */
@Singleton
public class EventSubscriber {

    private final ReactivePubSubCommands<String> pubsub;
    private final EventIntake intake;
    private final EventMetrics metrics;
    private final RelayConfig.Events config;
    private final String channel;

    private final AtomicReference<Attempt> active = new AtomicReference<>();
    private volatile boolean running;
    private volatile Cancellable pending;

    public EventSubscriber(ReactiveRedisDataSource redis, EventIntake intake, EventMetrics metrics,
                           RelayConfig config) {
        // String payloads: decoding belongs to the shared codec (in EventIntake), not to the Redis marshaller
        this.pubsub = redis.pubsub(String.class);
        this.intake = intake;
        this.metrics = metrics;
        this.config = config.events();
        this.channel = new RedisKeys(config.keyPrefix()).eventsChannel();
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        subscribe();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        Cancellable retrying = pending;
        if (retrying != null) {
            retrying.cancel();
        }
        Attempt current = active.getAndSet(null);
        metrics.subscribed(false);
        if (current != null && current.subscriber != null) {
            try {
                // shutdown runs on the main thread: waiting (bounded) is fine and lets Redis see a clean UNSUBSCRIBE
                current.subscriber.unsubscribe().await().atMost(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                Log.debugf("Unsubscribe at shutdown failed: %s", e.getMessage());
            }
        }
    }

    /** Whether the SUBSCRIBE on the events channel is acknowledged and its connection still open. */
    public boolean isSubscribed() {
        return active.get() != null;
    }

    /** The channel the relay listens on. */
    public String channel() {
        return channel;
    }

    private void subscribe() {
        if (!running) {
            return;
        }
        pending = Uni.createFrom().deferred(this::attempt)
                .onFailure().retry()
                .withBackOff(config.resubscribeInitialBackoff(), config.resubscribeMaxBackoff())
                .indefinitely()
                .subscribe().with(
                        attempt -> onSubscribed(attempt),
                        failure -> Log.errorf("Gave up subscribing to %s: %s", channel, failure.getMessage()));
    }

    /** One connect + SUBSCRIBE; fails (and is retried) when Redis is unreachable or does not answer in time. */
    private Uni<Attempt> attempt() {
        Attempt attempt = new Attempt();
        return pubsub.subscribe(List.of(channel),
                        text -> {
                            if (active.get() == attempt) {
                                intake.accept(text);
                            }
                        },
                        () -> onLost(attempt, null),
                        failure -> onLost(attempt, failure))
                .ifNoItem().after(config.subscribeTimeout()).fail()
                .onItem().transform(subscriber -> {
                    attempt.subscriber = subscriber;
                    return attempt;
                })
                .onFailure().invoke(failure -> {
                    attempt.ended.set(true);
                    Log.warnf("Cannot subscribe to %s (retrying): %s", channel, failure.getMessage());
                });
    }

    private void onSubscribed(Attempt attempt) {
        if (!running) {
            close(attempt);
            return;
        }
        active.set(attempt);
        metrics.subscribed(true);
        Log.infof("Subscribed to Redis channel %s", channel);
        if (attempt.ended.get()) {
            // the connection ended between the SUBSCRIBE answer and now: its end signal was ignored, act on it
            onLost(attempt, null);
        }
    }

    private void onLost(Attempt attempt, Throwable failure) {
        attempt.ended.set(true);
        if (!active.compareAndSet(attempt, null)) {
            return; // never became active, or the loss was already handled (end and exception both fire)
        }
        metrics.subscribed(false);
        Log.warnf("Lost the subscription to %s (%s); subscribing again", channel,
                failure == null ? "connection closed" : failure.getMessage());
        // after an exception the connection may still be open: close it so it can never deliver twice
        close(attempt);
        subscribe();
    }

    private void close(Attempt attempt) {
        if (attempt.subscriber != null) {
            attempt.subscriber.unsubscribe().subscribe().with(
                    ignored -> { },
                    e -> Log.debugf("Closing a lost subscription failed (expected when Redis is gone): %s",
                            e.getMessage()));
        }
    }

    /** One subscribe attempt and, once acknowledged, the subscription it holds. */
    private static final class Attempt {
        final AtomicBoolean ended = new AtomicBoolean();
        volatile ReactiveRedisSubscriber subscriber;
    }
}
