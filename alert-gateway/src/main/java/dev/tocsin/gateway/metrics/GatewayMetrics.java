package dev.tocsin.gateway.metrics;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.message.MessageTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The gateway's meters, registered once at startup so they show at {@code /q/metrics} before the first event.
 * Prometheus names: {@code tocsin_gateway_connections}, {@code tocsin_gateway_messages_sent_total{type,priority}},
 * {@code tocsin_gateway_send_failures_total{type}}, {@code tocsin_gateway_events_received_total},
 * {@code tocsin_gateway_event_decode_failures_total{reason}}, {@code tocsin_gateway_event_encode_failures_total},
 * {@code tocsin_gateway_fanout_seconds}, {@code tocsin_gateway_dropped_total{reason}} (events),
 * {@code tocsin_gateway_outbound_queued} (frames queued over all connections), {@code tocsin_gateway_batch_size},
 * {@code tocsin_gateway_rate_limited_total}, {@code tocsin_gateway_bans_total},
 * {@code tocsin_gateway_closes_total{reason}}, {@code tocsin_gateway_handshake_refusals_total{reason}},
 * {@code tocsin_gateway_ingest_requests_total{op,outcome}}, {@code tocsin_gateway_delivery_latency_seconds},
 * {@code tocsin_gateway_duplicates_total{reason}} (events dropped by the ordered pipeline: {@code old_seq},
 * {@code change_id}), {@code tocsin_gateway_history_filled_total} (events read from the history to fill holes),
 * {@code tocsin_gateway_history_misses_total} (events neither received nor in the history),
 * {@code tocsin_gateway_epoch_changes_total}, {@code tocsin_gateway_syncs_total{outcome}},
 * {@code tocsin_gateway_replayed_total{source}} (frames replayed by {@code sync} or from the inbox),
 * {@code tocsin_gateway_inbox_deliveries_total} (connections that received inbox entries),
 * {@code tocsin_gateway_inbox_dropped_total} (alerts the inbox reported as dropped),
 * {@code tocsin_gateway_delivery_records_total} (websocket delivery records sent to the command stream),
 * {@code tocsin_gateway_delivery_records_dropped_total{reason}} ({@code buffer_full}, {@code redis_error}),
 * {@code tocsin_gateway_stage_latency_seconds{stage}} (histogram, buckets from 1 ms to 10 s: {@code redis_receive},
 * the event's {@code publishedAt} in alert-ingest to its receipt here, wall clocks; {@code fanout_write}, a new alert
 * handed to the fan-out to its frame written to a socket, per written frame; {@code created_write}, the oldest new
 * alert of such a frame from its {@code createdAt} in alert-ingest to the write, wall clocks: the whole path from
 * the REST insert to the socket).
 *
 * <p>Longer than the usual class on purpose: every meter of the gateway is here, registered together at startup so
 * that {@code /q/metrics} lists every series before the first event, with this one list of names, and the admin
 * summary reads its totals from the same meters. Each method is a one-line increment.
 */
@Startup
@Singleton
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> sent = new ConcurrentHashMap<>();
    /**
     * The same counters as {@link #sent}, resolved once per type and priority (index 0: none, then by ordinal + 1),
     * so a written frame costs no key string and no tag lookup.
     */
    private final Map<String, AtomicReferenceArray<Counter>> sentByPriority = new ConcurrentHashMap<>();
    private static final Priority[] PRIORITIES = Priority.values();
    private final Map<String, Counter> sendFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> decodeFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> drops = new ConcurrentHashMap<>();
    private final Map<String, Counter> closes = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> ingest = new ConcurrentHashMap<>();
    private final Counter eventsReceived;
    private final Counter encodeFailures;
    private final Counter rateLimited;
    private final Counter bans;
    private final Timer fanout;
    private final Timer latency;
    private final Timer redisReceive;
    private final Timer fanoutWrite;
    private final Timer createdWrite;
    private final DistributionSummary batchSize;
    private final AtomicLong queued = new AtomicLong();
    private final Map<String, Counter> duplicates = new ConcurrentHashMap<>();
    private final Map<String, Counter> syncs = new ConcurrentHashMap<>();
    private final Map<String, Counter> syncReads = new ConcurrentHashMap<>();
    private final Map<String, Counter> replayed = new ConcurrentHashMap<>();
    private final Counter historyFilled;
    private final Counter historyMisses;
    private final Counter epochChanges;
    private final Counter inboxDeliveries;
    private final Counter inboxDropped;
    private final Counter deliveryRecords;
    private final Map<String, Counter> deliveryRecordsDropped = new ConcurrentHashMap<>();

    /** Histogram boundaries of the delivery latency; 1 s is the SLO threshold the alerting rules use. */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30),
    };

    GatewayMetrics(MeterRegistry registry, OpenConnections connections) {
        this.registry = registry;
        // Counted from the connection registry at scrape time, so it cannot drift from the truth.
        Gauge.builder("tocsin.gateway.connections", connections, c -> c.stream().count())
                .description("Open WebSocket connections")
                .strongReference(true)
                .register(registry);
        Gauge.builder("tocsin.gateway.outbound.queued", queued, AtomicLong::get)
                .description("Frames waiting in outbound queues, over all connections")
                .strongReference(true)
                .register(registry);
        for (String type : MessageTypes.all()) {
            sendFailureCounter(type);
        }
        sentCounter("connection_established", "none");
        sentCounter("alert", "critical");
        for (String reason : new String[] {"malformed", "invalid"}) {
            decodeFailureCounter(reason);
        }
        dropCounter("slow_consumer");
        eventsReceived = Counter.builder("tocsin.gateway.events.received")
                .description("Messages received on the Redis event channel").register(registry);
        encodeFailures = Counter.builder("tocsin.gateway.event.encode.failures")
                .description("Events skipped because their alert message could not be encoded").register(registry);
        rateLimited = Counter.builder("tocsin.gateway.rate.limited")
                .description("Client messages refused by the rate limit").register(registry);
        bans = Counter.builder("tocsin.gateway.bans")
                .description("Users banned after repeated rate-limit violations").register(registry);
        fanout = Timer.builder("tocsin.gateway.fanout")
                .description("Time to route one event and hand it to the matching connections of one event loop (one sample per event and loop)")
                .register(registry);
        // Fixed SLO buckets (tocsin_gateway_delivery_latency_seconds_bucket{le=...}): the delivery-latency SLO and its
        // burn-rate alerts (deploy/k8s/components/monitoring) count deliveries under le="1.0"; keep that boundary.
        latency = Timer.builder("tocsin.gateway.delivery.latency")
                .description("From an alert's createdAt to its frame being written to a socket")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        redisReceive = stage("redis_receive");
        fanoutWrite = stage("fanout_write");
        createdWrite = stage("created_write");
        historyFilled = Counter.builder("tocsin.gateway.history.filled")
                .description("Events read from the history stream to fill a hole in the sequence").register(registry);
        historyMisses = Counter.builder("tocsin.gateway.history.misses")
                .description("Events neither received nor found in the history (trimmed): lost to this gateway")
                .register(registry);
        epochChanges = Counter.builder("tocsin.gateway.epoch.changes")
                .description("Times the event sequence started over with a new epoch").register(registry);
        inboxDeliveries = Counter.builder("tocsin.gateway.inbox.deliveries")
                .description("Connections that received alerts kept in the user's offline inbox").register(registry);
        inboxDropped = Counter.builder("tocsin.gateway.inbox.dropped")
                .description("Alerts the offline inbox reported as dropped (inbox full)").register(registry);
        for (String reason : new String[] {"old_seq", "change_id"}) {
            count(duplicates, "tocsin.gateway.duplicates", "Events dropped as duplicates by the ordered pipeline",
                    "reason", reason, 0);
        }
        for (String source : new String[] {"sync", "inbox"}) {
            count(replayed, "tocsin.gateway.replayed", "Frames replayed to a connection, by source", "source", source, 0);
        }
        deliveryRecords = Counter.builder("tocsin.gateway.delivery.records")
                .description("WebSocket delivery records sent to alert-ingest's command stream").register(registry);
        for (String reason : new String[] {"buffer_full", "redis_error"}) {
            count(deliveryRecordsDropped, "tocsin.gateway.delivery.records.dropped",
                    "WebSocket delivery records lost, by reason", "reason", reason, 0);
        }
        batchSize = DistributionSummary.builder("tocsin.gateway.batch.size")
                .description("Alerts per frame sent after the batch window (1 = sent as a single alert)")
                .register(registry);
    }

    public void sent(String type, String priority) {
        sentCounter(type, priority).increment();
    }

    /** A frame written to a client; {@code priority} null for answers and notices (tag {@code none}). */
    public void sent(String type, Priority priority) {
        AtomicReferenceArray<Counter> byPriority = sentByPriority.get(type);
        if (byPriority == null) {
            byPriority = sentByPriority.computeIfAbsent(type, t -> new AtomicReferenceArray<>(PRIORITIES.length + 1));
        }
        int index = priority == null ? 0 : priority.ordinal() + 1;
        Counter counter = byPriority.get(index);
        if (counter == null) {
            // The registry hands back the one counter of these tags, so a race here resolves to the same meter.
            counter = sentCounter(type, priority == null ? "none" : priority.wire());
            byPriority.set(index, counter);
        }
        counter.increment();
    }

    public void sendFailed(String type) {
        sendFailureCounter(type).increment();
    }

    public void eventReceived() {
        eventsReceived.increment();
    }

    /** An event could not be used: {@code malformed} (not an AlertEvent) or {@code invalid} (missing fields). */
    public void eventDecodeFailed(String reason) {
        decodeFailureCounter(reason).increment();
    }

    public void eventEncodeFailed() {
        encodeFailures.increment();
    }

    public Timer fanoutTimer() {
        return fanout;
    }

    /** Events dropped for a connection, by reason ({@code slow_consumer}). */
    public void dropped(String reason, long events) {
        dropCounter(reason).increment(events);
    }

    /** Frames entering ({@code +}) or leaving ({@code -}) outbound queues. */
    public void queued(long delta) {
        queued.addAndGet(delta);
    }

    public void batchSent(int alerts) {
        batchSize.record(alerts);
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    public void banned() {
        bans.increment();
    }

    /** A connection closed by the server, by reason ({@code heartbeat_timeout}, {@code slow_consumer}, ...). */
    public void closed(String reason) {
        count(closes, "tocsin.gateway.closes", "Connections closed by the server, by reason", "reason", reason);
    }

    /** A handshake refused by an admission check ({@code banned}, {@code too_many_connections}, {@code unchecked}: admitted unchecked). */
    public void handshakeRefused(String reason) {
        count(refusals, "tocsin.gateway.handshake.refusals", "Handshakes refused by admission checks", "reason", reason);
    }

    /** A request forwarded to alert-ingest ({@code ack}, {@code clear}) and its outcome. */
    public void ingestRequest(String op, String outcome) {
        ingest.computeIfAbsent(op + "/" + outcome, k -> Counter.builder("tocsin.gateway.ingest.requests")
                .description("Requests forwarded to alert-ingest, by operation and outcome")
                .tag("op", op).tag("outcome", outcome).register(registry)).increment();
    }

    public void latency(long millis) {
        latency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /** Percentile buckets from 1 ms to 10 s: fine enough to read a p99 near the alert-to-screen target of 50 ms. */
    private Timer stage(String stage) {
        return Timer.builder("tocsin.gateway.stage.latency").tag("stage", stage).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .description("Time an alert spends in one stage of the gateway (see the stage tag)").register(registry);
    }

    /** An event received from Redis {@code nanos} after alert-ingest stamped it {@code publishedAt} (wall clocks). */
    public void redisReceived(long nanos) {
        if (nanos >= 0) {
            redisReceive.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A frame of new alerts written {@code nanos} after the oldest of them was handed to the fan-out. */
    public void fanoutWritten(long nanos) {
        fanoutWrite.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A frame of new alerts written {@code millis} after the oldest of them was created (wall clocks). */
    public void createdWritten(long millis) {
        createdWrite.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    private void count(Map<String, Counter> counters, String name, String description, String tag, String value) {
        count(counters, name, description, tag, value, 1);
    }

    private void count(Map<String, Counter> counters, String name, String description, String tag, String value,
            long amount) {
        counters.computeIfAbsent(value, v -> Counter.builder(name).description(description).tag(tag, v)
                .register(registry)).increment(amount);
    }

    /** An event the ordered pipeline dropped as already delivered ({@code old_seq}, {@code change_id}). */
    public void duplicate(String reason) {
        count(duplicates, "tocsin.gateway.duplicates", "Events dropped as duplicates by the ordered pipeline",
                "reason", reason);
    }

    public void historyFilled(long events) {
        historyFilled.increment(events);
    }

    public void historyMissed(long events) {
        historyMisses.increment(events);
    }

    public void epochChanged() {
        epochChanges.increment();
    }

    /** A {@code sync} answered, by outcome ({@code recovered}, {@code history_trimmed}, ...). */
    public void sync(String outcome) {
        count(syncs, "tocsin.gateway.syncs", "Sync requests answered, by outcome", "outcome", outcome);
    }

    /** Where a sync's missed range came from: {@code memory} (the pipeline's recent events) or {@code history} (Redis). */
    public void syncRead(String source) {
        count(syncReads, "tocsin.gateway.sync.reads", "Sync ranges read, by source (memory or the Redis history)",
                "source", source);
    }

    /** Frames replayed to a connection ({@code sync}, {@code inbox}). */
    public void replayed(String source, long frames) {
        count(replayed, "tocsin.gateway.replayed", "Frames replayed to a connection, by source", "source", source,
                frames);
    }

    public void inboxDelivered(long dropped) {
        inboxDeliveries.increment();
        inboxDropped.increment(dropped);
    }

    /** Delivery records written to the command stream. */
    public void deliveryRecorded(long records) {
        deliveryRecords.increment(records);
    }

    /** Delivery records lost: {@code buffer_full} (not buffered), {@code redis_error} (the write failed). */
    public void deliveryRecordsDropped(String reason, long records) {
        count(deliveryRecordsDropped, "tocsin.gateway.delivery.records.dropped",
                "WebSocket delivery records lost, by reason", "reason", reason, records);
    }

    // Totals for the admin stats summary, read from the same meters Prometheus scrapes.

    public long messagesSentTotal() {
        return (long) sent.values().stream().mapToDouble(Counter::count).sum();
    }

    public long rateLimitedTotal() {
        return (long) rateLimited.count();
    }

    public long bansTotal() {
        return (long) bans.count();
    }

    public long droppedTotal() {
        return (long) drops.values().stream().mapToDouble(Counter::count).sum();
    }

    public long inboxDeliveriesTotal() {
        return (long) inboxDeliveries.count();
    }

    public long inboxDroppedTotal() {
        return (long) inboxDropped.count();
    }

    public long historyMissesTotal() {
        return (long) historyMisses.count();
    }

    /** Mean delivery latency in ms over the process's life (0 before the first alert). */
    public double averageLatencyMs() {
        return latency.count() == 0 ? 0 : latency.mean(java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private Counter sentCounter(String type, String priority) {
        return sent.computeIfAbsent(type + "/" + priority, k -> Counter.builder("tocsin.gateway.messages.sent")
                .description("Frames written to clients, by message type and alert priority (none: not an alert)")
                .tag("type", type).tag("priority", priority).register(registry));
    }

    private Counter sendFailureCounter(String type) {
        return sendFailures.computeIfAbsent(type, t -> Counter.builder("tocsin.gateway.send.failures")
                .description("Frames that could not be written, by message type").tag("type", t).register(registry));
    }

    private Counter decodeFailureCounter(String reason) {
        return decodeFailures.computeIfAbsent(reason, r -> Counter.builder("tocsin.gateway.event.decode.failures")
                .description("Redis event messages skipped because they could not be decoded")
                .tag("reason", r).register(registry));
    }

    private Counter dropCounter(String reason) {
        return drops.computeIfAbsent(reason, r -> Counter.builder("tocsin.gateway.dropped")
                .description("Events dropped for slow connections, by reason").tag("reason", r).register(registry));
    }
}
