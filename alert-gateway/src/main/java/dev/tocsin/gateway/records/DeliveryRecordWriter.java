package dev.tocsin.gateway.records;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records WebSocket deliveries for {@code GET /api/v1/alerts/{id}/deliveries}: when a frame carrying a new alert has
 * been written to a connection, the pair (alert, user) is recorded (channel {@code websocket}, outcome
 * {@code delivered}, step {@code websocket}) through the {@code <prefix>commands} stream that alert-ingest consumes.
 * Pairs waiting to be sent are gathered per alert: one {@code record_deliveries} command carries the users of one
 * alert (up to {@link #USERS_PER_COMMAND}), so a broadcast to thousands costs a few commands and one bulk write in
 * ingest, not one command and one write per user. The time recorded is the first delivery of the alert among
 * those gathered (within one flush interval of each user's own).
 *
 * <p>Each pair is recorded once per gateway process (a bounded LRU set); ingest upserts by alert, user, channel and
 * step, so the same pair recorded by another replica, or again after it was forgotten here, overwrites harmlessly.
 *
 * <p>The fan-out is the hot path, so recording costs a short lock and a queue insert: records are buffered and sent
 * in pipelined batches of {@code batch-size} pairs, at least every {@code flush-interval}, one batch in flight at a
 * time. A buffer at {@code max-buffer} (Redis slow or gone) drops new records and counts them instead of growing.
 */
@Singleton
public class DeliveryRecordWriter {

    /** Longest wait for the last records on shutdown. */
    static final Duration SHUTDOWN_FLUSH_TIMEOUT = Duration.ofSeconds(5);
    /** Least time between two warnings about failed writes, so an outage does not flood the log. */
    static final long WARN_EVERY_MS = 30_000;

    private final ReactiveRedisDataSource redis;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final boolean enabled;
    private final long flushIntervalMs;
    private final int batchSize;
    private final int maxBuffer;
    private final long streamMaxLength;
    private final String stream;

    /** Guarded by {@code this}: pairs already recorded ("alertId|user"), least recently delivered first. */
    private final LinkedHashMap<String, Boolean> recorded;
    /** Most users in one command. */
    static final int USERS_PER_COMMAND = 1000;

    /** Guarded by {@code this}: users waiting to be recorded, per alert, in order of first delivery. */
    private final LinkedHashMap<String, Pending> buffer = new LinkedHashMap<>();
    /** Guarded by {@code this}: pairs in {@link #buffer}. */
    private int bufferedPairs;
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile long lastWarnAt;
    private long timer = -1;

    DeliveryRecordWriter(ReactiveRedisDataSource redis, GatewayMetrics metrics, Vertx vertx, GatewayConfig config) {
        this.redis = redis;
        this.metrics = metrics;
        this.vertx = vertx;
        GatewayConfig.DeliveryRecords settings = config.deliveryRecords();
        this.enabled = settings.enabled();
        this.flushIntervalMs = Math.max(1, settings.flushInterval().toMillis());
        this.batchSize = Math.max(1, settings.batchSize());
        this.maxBuffer = Math.max(1, settings.maxBuffer());
        this.streamMaxLength = Math.max(1, settings.streamMaxLength());
        this.stream = new RedisKeys(config.keyPrefix()).commands();
        int dedupSize = Math.max(1, settings.dedupSize());
        // Access order: a pair delivered again stays remembered; the one delivered longest ago goes first.
        this.recorded = new LinkedHashMap<>(Math.min(dedupSize, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > dedupSize;
            }
        };
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            timer = vertx.setPeriodic(flushIntervalMs, id -> flush());
        }
    }

    /** After the drain (priority 1) closed the connections, so their last deliveries are in the buffer. */
    void stop(@Observes @Priority(100) ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        if (enabled) {
            flushAll();
        }
    }

    /** The new alerts of a frame were written to a connection of {@code user}. Never blocks; called on event loops. */
    public void delivered(String[] alertIds, String user) {
        if (!enabled || user == null) {
            return;
        }
        int buffered;
        int dropped = 0;
        synchronized (this) {
            for (String alertId : alertIds) {
                String key = alertId + "|" + user;
                if (recorded.get(key) != null) {
                    continue;
                }
                if (bufferedPairs >= maxBuffer) {
                    // Not remembered either: a later delivery of the same pair may still be recorded.
                    dropped++;
                    continue;
                }
                recorded.put(key, Boolean.TRUE);
                buffer.computeIfAbsent(alertId, id -> new Pending(Instant.now())).users.add(user);
                bufferedPairs++;
            }
            buffered = bufferedPairs;
        }
        if (dropped > 0) {
            metrics.deliveryRecordsDropped("buffer_full", dropped);
        }
        if (buffered >= batchSize && !flushing.get() && flushScheduled.compareAndSet(false, true)) {
            // A full batch need not wait for the timer; encoding and sending happen in a later task, not in the write callback.
            vertx.runOnContext(ignored -> {
                flushScheduled.set(false);
                flush();
            });
        }
    }

    /** Records (alert, user pairs) waiting to be sent. */
    public synchronized int buffered() {
        return bufferedPairs;
    }

    /** Sends one batch unless one is in flight; carries on while full batches are waiting. */
    void flush() {
        if (!flushing.compareAndSet(false, true)) {
            return;
        }
        List<IngestCommand.RecordDeliveries> batch = take();
        if (batch.isEmpty()) {
            flushing.set(false);
            return;
        }
        int pairs = pairs(batch);
        send(batch).subscribe().with(
                ignored -> {
                    metrics.deliveryRecorded(pairs);
                    flushing.set(false);
                    if (buffered() >= batchSize) {
                        flush();
                    }
                },
                failure -> {
                    failed(pairs, failure);
                    forget(batch);
                    flushing.set(false);
                });
    }

    /** On shutdown: everything buffered, batch after batch, within {@link #SHUTDOWN_FLUSH_TIMEOUT}. */
    private void flushAll() {
        long deadline = System.nanoTime() + SHUTDOWN_FLUSH_TIMEOUT.toNanos();
        List<IngestCommand.RecordDeliveries> batch;
        while (!(batch = take()).isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                failed(pairs(batch) + buffered(), new IllegalStateException("shutdown flush timed out"));
                return;
            }
            try {
                send(batch).await().atMost(Duration.ofNanos(left));
                metrics.deliveryRecorded(pairs(batch));
            } catch (RuntimeException e) {
                failed(pairs(batch) + buffered(), e);
                return;
            }
        }
    }

    /** Lost records: their pairs may be recorded again on a later delivery (another connection, a reconnect). */
    private synchronized void forget(List<IngestCommand.RecordDeliveries> lost) {
        for (IngestCommand.RecordDeliveries command : lost) {
            for (String user : command.users()) {
                recorded.remove(command.alertId() + "|" + user);
            }
        }
    }

    /** Up to {@code batchSize} pairs, as commands of one alert and at most USERS_PER_COMMAND users each. */
    private synchronized List<IngestCommand.RecordDeliveries> take() {
        List<IngestCommand.RecordDeliveries> batch = new ArrayList<>();
        int taken = 0;
        var alerts = buffer.entrySet().iterator();
        while (taken < batchSize && alerts.hasNext()) {
            Map.Entry<String, Pending> alert = alerts.next();
            Pending pending = alert.getValue();
            int count = Math.min(Math.min(USERS_PER_COMMAND, batchSize - taken), pending.users.size());
            List<String> users = new ArrayList<>(count);
            var waiting = pending.users.iterator();
            while (users.size() < count) {
                users.add(waiting.next());
                waiting.remove();
            }
            if (pending.users.isEmpty()) {
                alerts.remove();
            }
            taken += count;
            batch.add(new IngestCommand.RecordDeliveries(alert.getKey(), DeliveryChannel.WEBSOCKET,
                    DeliveryOutcome.DELIVERED, 1, "websocket", pending.firstAt, users));
        }
        bufferedPairs -= taken;
        return batch;
    }

    private static int pairs(List<IngestCommand.RecordDeliveries> batch) {
        int pairs = 0;
        for (IngestCommand.RecordDeliveries command : batch) {
            pairs += command.users().size();
        }
        return pairs;
    }

    private Uni<Void> send(List<IngestCommand.RecordDeliveries> batch) {
        List<Request> requests = new ArrayList<>(batch.size());
        for (IngestCommand.RecordDeliveries command : batch) {
            requests.add(Request.cmd(Command.XADD).arg(stream).arg("MAXLEN").arg("~").arg(streamMaxLength).arg("*")
                    .arg("command").arg(Json.encode(command)));
        }
        // One pipelined round trip for the whole batch.
        return redis.getRedis().batch(requests).replaceWithVoid();
    }

    private void failed(int records, Throwable failure) {
        metrics.deliveryRecordsDropped("redis_error", records);
        long now = System.currentTimeMillis();
        if (now - lastWarnAt >= WARN_EVERY_MS) {
            lastWarnAt = now;
            Log.warnf("Could not write %d websocket delivery records to %s: %s", records, stream, failure.toString());
        }
    }

    /** The users of one alert waiting to be recorded, and when the first of them got it. */
    private static final class Pending {
        final Instant firstAt;
        final LinkedHashSet<String> users = new LinkedHashSet<>();

        Pending(Instant firstAt) {
            this.firstAt = firstAt;
        }
    }
}
