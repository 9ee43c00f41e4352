package dev.tocsin.ingest.metrics;

import dev.tocsin.protocol.event.ChangeOp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The ingest pipeline's own meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code tocsin_ingest_events_published_total{op}}: events published to Redis;</li>
 *   <li>{@code tocsin_ingest_publish_failures_total}: failed publish attempts (each is retried);</li>
 *   <li>{@code tocsin_ingest_changes_skipped_total{reason}}: changes that produce no event;</li>
 *   <li>{@code tocsin_ingest_changestream_reconnects_total}: times the stream was reopened after an error;</li>
 *   <li>{@code tocsin_ingest_changestream_lag_seconds}: store commit to publish (wall time, else cluster time);</li>
 *   <li>{@code tocsin_ingest_publish_duration_seconds}: one successful publish script call;</li>
 *   <li>{@code tocsin_ingest_changestream_open}: 1 while the stream is open;</li>
 *   <li>{@code tocsin_ingest_history_replays_total}: times the stored change stream position had aged out of the
 *       oplog and the alerts changed since were re-published from the store;</li>
 *   <li>{@code tocsin_ingest_history_trimmed_total}: history entries removed for being older than
 *       {@code history-max-age};</li>
 *   <li>{@code tocsin_ingest_acks_total}: acknowledgments that won (repeats and later acks are not counted);</li>
 *   <li>{@code tocsin_ingest_cleared_total}: alerts cleared;</li>
 *   <li>{@code tocsin_ingest_expired_total}: alerts marked expired by the expiry job;</li>
 *   <li>{@code tocsin_ingest_commands_total{type,outcome}}: commands taken from the command stream, by type
 *       ({@code record_delivery}, {@code record_deliveries}, {@code remove_fcm_token}, {@code unknown}) and
 *       outcome ({@code applied}, {@code invalid}: acknowledged without effect, {@code failed}: left pending for a
 *       retry).</li>
 *   <li>{@code tocsin_ingest_stage_latency_seconds{stage}}: where an alert's time goes inside this service, as a
 *       histogram (buckets from 1 ms to 10 s): {@code rest_insert} (the HTTP request of {@code POST /api/v1/alerts}
 *       reaching the server to MongoDB acknowledging the insert), {@code insert_publish} (the alert's
 *       {@code createdAt}, taken just before the insert, to the publish script having returned: new alerts only),
 *       {@code receive_publish} (the change arriving from the change stream to its publish having returned: the
 *       tailer's own work, so that {@code insert_publish} minus it is the wait for the stream).</li>
 * </ul>
 */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry registry;
    private final Map<ChangeOp, Counter> published = new EnumMap<>(ChangeOp.class);
    private final Counter publishFailures;
    private final Counter reconnects;
    private final Timer lag;
    private final Timer publishDuration;
    private final Counter acks;
    private final Counter cleared;
    private final Counter expired;
    private final Counter historyReplays;
    private final Counter historyTrimmed;
    private final Timer restInsert;
    private final Timer insertPublish;
    private final Timer receivePublish;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ChangeOp op : ChangeOp.values()) {
            published.put(op, Counter.builder("tocsin.ingest.events.published")
                    .description("Alert events published to Redis")
                    .tag("op", op.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        publishFailures = Counter.builder("tocsin.ingest.publish.failures")
                .description("Failed attempts to publish an event (each is retried)").register(registry);
        reconnects = Counter.builder("tocsin.ingest.changestream.reconnects")
                .description("Times the change stream was reopened after an error").register(registry);
        lag = Timer.builder("tocsin.ingest.changestream.lag")
                .description("Time from the store's commit of a change to its publication")
                .publishPercentiles(0.5, 0.99).register(registry);
        publishDuration = Timer.builder("tocsin.ingest.publish.duration")
                .description("Duration of one successful publish script call").register(registry);
        acks = Counter.builder("tocsin.ingest.acks")
                .description("Alert acknowledgments that took effect (first ack per alert)").register(registry);
        cleared = Counter.builder("tocsin.ingest.cleared").description("Alerts cleared").register(registry);
        expired = Counter.builder("tocsin.ingest.expired")
                .description("Alerts marked expired by the expiry job").register(registry);
        historyReplays = Counter.builder("tocsin.ingest.history.replays")
                .description("Times the change stream history was lost and changed alerts were re-published")
                .register(registry);
        historyTrimmed = Counter.builder("tocsin.ingest.history.trimmed")
                .description("History stream entries removed for age").register(registry);
        restInsert = stage(registry, "rest_insert");
        insertPublish = stage(registry, "insert_publish");
        receivePublish = stage(registry, "receive_publish");
    }

    /** A histogram fine enough to read a p99 between 1 ms and a few seconds (the alert-to-screen target is 50 ms). */
    private static Timer stage(MeterRegistry registry, String stage) {
        return Timer.builder("tocsin.ingest.stage.latency").tag("stage", stage).publishPercentileHistogram()
                .description("Time an alert spends in one stage of alert-ingest (see the stage tag)")
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    }

    /** A new alert stored: {@code sinceNanos} is when its request reached the server ({@link System#nanoTime()}). */
    public void restInserted(long sinceNanos) {
        restInsert.record(System.nanoTime() - sinceNanos, TimeUnit.NANOSECONDS);
    }

    /** A new alert published: from its {@code createdAt} (wall clock, taken before the insert) to now. */
    public void insertPublished(Duration sinceCreated) {
        if (!sinceCreated.isNegative()) {
            insertPublish.record(sinceCreated);
        }
    }

    /** A change published: {@code sinceNanos} is when the change stream handed it over ({@link System#nanoTime()}). */
    public void receivePublished(long sinceNanos) {
        receivePublish.record(System.nanoTime() - sinceNanos, TimeUnit.NANOSECONDS);
    }

    public void historyReplay() {
        historyReplays.increment();
    }

    public void historyTrimmed(long count) {
        historyTrimmed.increment(count);
    }

    public void acknowledged() {
        acks.increment();
    }

    public void cleared(long count) {
        cleared.increment(count);
    }

    public void expired(long count) {
        expired.increment(count);
    }

    /** One command from the command stream; {@code type} and {@code outcome} are from small fixed sets. */
    public void command(String type, String outcome) {
        registry.counter("tocsin.ingest.commands", "type", type, "outcome", outcome).increment();
    }

    public void published(ChangeOp op, Duration took) {
        published.get(op).increment();
        publishDuration.record(took);
    }

    public void publishFailed() {
        publishFailures.increment();
    }

    public void skipped(String reason) {
        registry.counter("tocsin.ingest.changes.skipped", "reason", reason).increment();
    }

    public void reconnected() {
        reconnects.increment();
    }

    public void lag(Duration lagTime) {
        if (!lagTime.isNegative()) {
            lag.record(lagTime);
        }
    }

    /** Registers the stream-open gauge once the tailer exists. */
    public void streamOpenGauge(BooleanSupplier open) {
        Gauge.builder("tocsin.ingest.changestream.open", () -> open.getAsBoolean() ? 1 : 0)
                .description("1 while the change stream is open").register(registry);
    }
}
