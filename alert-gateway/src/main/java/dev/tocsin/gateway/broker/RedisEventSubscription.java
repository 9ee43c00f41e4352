package dev.tocsin.gateway.broker;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.pipeline.EventPipeline;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.pacing.Backoff;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the gateway subscribed to the Redis event channel and hands each event, decoded once, to the ordered
 * {@link EventPipeline}, which also catches up from the history after every (re)subscription.
 *
 * <p>The Quarkus reactive pub/sub client subscribes on a dedicated connection and does <em>not</em> subscribe
 * again when that connection is lost (Redis restart, network cut): it only calls the end and exception handlers.
 * This class therefore watches those handlers and subscribes anew with exponential back-off. Each attempt has a
 * generation number; callbacks of an older generation are ignored, so a lost connection is handled once and a
 * stale connection can never deliver an event twice.
 *
 * <p>Messages arrive on an event loop, one after the other, and enter the pipeline right there (non-blocking), which
 * keeps events in channel order; the pipeline restores sequence order across subscriptions.
 */
@ApplicationScoped
public class RedisEventSubscription {

    private final ReactivePubSubCommands<String> pubsub;
    private final EventPipeline pipeline;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final String channel;

    private final AtomicLong generation = new AtomicLong();
    private volatile boolean active;
    private volatile boolean stopping;
    private volatile ReactiveRedisSubscriber current;
    private volatile Instant activeSince;
    private volatile int attempt;
    private volatile long retryTimer = -1;
    private final AtomicLong resubscriptions = new AtomicLong();
    private final Backoff backoff;

    RedisEventSubscription(ReactiveRedisDataSource redis, EventPipeline pipeline, GatewayMetrics metrics,
            GatewayConfig config, Vertx vertx) {
        this.pubsub = redis.pubsub(String.class);
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
        this.channel = new RedisKeys(config.keyPrefix()).eventsChannel();
        this.backoff = new Backoff(config.resubscribeInitialBackoff(), config.resubscribeMaxBackoff());
    }

    void onStart(@Observes StartupEvent event) {
        subscribe();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        active = false;
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
        release(current);
    }

    /** True while the SUBSCRIBE is confirmed and its connection alive (readiness). */
    public boolean isActive() {
        return active;
    }

    public String channel() {
        return channel;
    }

    public Instant activeSince() {
        return activeSince;
    }

    /** How many times the subscription was made again after a loss or a failed attempt. */
    public long resubscriptions() {
        return resubscriptions.get();
    }

    private void subscribe() {
        if (stopping) {
            return;
        }
        long gen = generation.get();
        pubsub.subscribe(List.of(channel),
                        (ch, text) -> {
                            if (generation.get() == gen) {
                                onMessage(text);
                            }
                        },
                        () -> lost(gen, null),
                        failure -> lost(gen, failure))
                .ifNoItem().after(config.subscribeTimeout()).failWith(() -> new TimeoutException("SUBSCRIBE timed out"))
                .subscribe().with(subscriber -> established(gen, subscriber), failure -> lost(gen, failure));
    }

    private void established(long gen, ReactiveRedisSubscriber subscriber) {
        if (stopping || generation.get() != gen) {
            release(subscriber); // an attempt that was given up meanwhile
            return;
        }
        current = subscriber;
        attempt = 0;
        activeSince = Instant.now();
        active = true;
        Log.infof("Subscribed to Redis channel %s", channel);
        // Whatever was published while there was no subscription is in the history: read it before going on.
        pipeline.subscribed();
    }

    private void lost(long gen, Throwable cause) {
        if (!generation.compareAndSet(gen, gen + 1)) {
            return; // this generation was handled already (end and exception handlers both fire)
        }
        boolean wasActive = active;
        active = false;
        ReactiveRedisSubscriber old = current;
        current = null;
        release(old);
        if (stopping) {
            return;
        }
        int failed = attempt++;
        Duration delay = backoff.ceiling(failed + 1);
        String why = cause == null ? "connection closed" : cause.toString();
        if (wasActive) {
            Log.warnf("Lost the Redis subscription to %s (%s); subscribing again in %d ms", channel, why,
                    delay.toMillis());
        } else if (failed < 5 || failed % 30 == 0) {
            // A long outage is reported now and then, not every few seconds.
            Log.warnf("Cannot subscribe to Redis channel %s (attempt %d: %s); retrying in %d ms", channel,
                    failed + 1, why, delay.toMillis());
        } else {
            Log.debugf("Cannot subscribe to Redis channel %s (attempt %d: %s)", channel, failed + 1, why);
        }
        retryTimer = vertx.setTimer(delay.toMillis(), id -> {
            retryTimer = -1;
            resubscriptions.incrementAndGet();
            subscribe();
        });
    }

    private void onMessage(String text) {
        metrics.eventReceived();
        AlertEvent event;
        try {
            event = AlertEventDecoder.decode(text);
        } catch (RejectedEventException e) {
            metrics.eventDecodeFailed(e.reason().tag());
            // The content is not logged: it may be large or carry data not meant for logs.
            Log.warnf("Skipped a message on %s (%s, %d chars): %s", channel, e.reason().tag(),
                    text == null ? 0 : text.length(), e.getMessage());
            return;
        }
        if (event.publishedAt() != null) {
            // Wall clocks of two processes: across hosts this includes their clock difference.
            metrics.redisReceived(Duration.between(event.publishedAt(), Instant.now()).toNanos());
        }
        try {
            pipeline.offer(event);
        } catch (RuntimeException e) {
            // Never let one event end the subscription.
            Log.errorf(e, "Processing event seq %d (alert %s) failed", event.seq(), event.alertId());
        }
    }

    private static void release(ReactiveRedisSubscriber subscriber) {
        if (subscriber != null) {
            subscriber.unsubscribe().subscribe().with(ignored -> { }, ignored -> { });
        }
    }
}
