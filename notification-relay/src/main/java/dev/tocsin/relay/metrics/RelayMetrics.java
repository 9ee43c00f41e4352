package dev.tocsin.relay.metrics;

import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.event.ChangeOp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's meters; every fixed series is registered up front so a scrape shows zeros instead of gaps.
 * <ul>
 *   <li>{@code tocsin_relay_events_received_total{op}}, {@code tocsin_relay_event_decode_failures_total};</li>
 *   <li>{@code tocsin_relay_sends_total{channel,outcome}}: finished deliveries (delivered, failed, dead_letter, skipped);</li>
 *   <li>{@code tocsin_relay_retries_total{channel}}: attempts repeated after a retryable failure;</li>
 *   <li>{@code tocsin_relay_dead_letters_total{channel}};</li>
 *   <li>{@code tocsin_relay_escalations_total{step}}: escalation steps run;</li>
 *   <li>{@code tocsin_relay_inbox_appends_total}: alerts written to an offline user's inbox,
 *       {@code tocsin_relay_inbox_dropped_total}: inbox entries removed because an inbox was full;</li>
 *   <li>{@code tocsin_relay_consumer_pending}, {@code tocsin_relay_consumer_lag}, {@code tocsin_relay_steps_pending}
 *       (gauges refreshed from Redis; -1 while unknown).</li>
 * </ul>
 */
@Singleton
public class RelayMetrics {

    private static final List<DeliveryChannel> PUSH = List.of(DeliveryChannel.TELEGRAM, DeliveryChannel.FCM);

    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong(-1);
    private final AtomicLong lag = new AtomicLong(-1);
    private final AtomicLong stepsPending = new AtomicLong(-1);

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ChangeOp op : ChangeOp.values()) {
            received(op, 0);
        }
        decodeFailures().increment(0);
        for (DeliveryChannel channel : PUSH) {
            for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
                sends(channel, outcome);
            }
            retries(channel);
            deadLetters(channel);
            for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
                followUps(channel, outcome);
            }
        }
        inboxAppends().increment(0);
        inboxWithdrawals().increment(0);
        replans("started");
        replans("stopped");
        inboxDrops().increment(0);
        Gauge.builder("tocsin.relay.consumer.pending", pending, AtomicLong::doubleValue)
                .description("Entries of the relay stream read by a relay consumer and not yet acknowledged")
                .register(registry);
        Gauge.builder("tocsin.relay.consumer.lag", lag, AtomicLong::doubleValue)
                .description("Entries of the relay stream not yet read by the relay group (XINFO GROUPS lag)")
                .register(registry);
        Gauge.builder("tocsin.relay.steps.pending", stepsPending, AtomicLong::doubleValue)
                .description("Scheduled delivery and escalation steps not yet run")
                .register(registry);
    }

    public void registerEscalationSteps(List<String> steps) {
        steps.forEach(this::escalations);
    }

    public void received(ChangeOp op) {
        received(op, 1);
    }

    private void received(ChangeOp op, double amount) {
        Counter.builder("tocsin.relay.events.received")
                .description("Alert events read from the relay stream")
                .tag("op", op.name().toLowerCase(Locale.ROOT))
                .register(registry).increment(amount);
    }

    public void decodeFailed() {
        decodeFailures().increment();
    }

    private Counter decodeFailures() {
        return Counter.builder("tocsin.relay.event.decode.failures")
                .description("Relay stream entries that were not a valid alert event (acknowledged and dropped)")
                .register(registry);
    }

    public void sent(DeliveryChannel channel, DeliveryOutcome outcome) {
        sends(channel, outcome).increment();
    }

    public void retried(DeliveryChannel channel) {
        retries(channel).increment();
    }

    public void deadLettered(DeliveryChannel channel) {
        deadLetters(channel).increment();
    }

    public void escalated(String step) {
        escalations(step).increment();
    }

    /** Escalation re-decided after an edit or un-acknowledgment: {@code started} or {@code stopped}. */
    public void replanned(String change) {
        replans(change).increment();
    }

    /** One follow-up push (resolved / retracted) ended with this outcome. */
    public void followUpSent(DeliveryChannel channel, DeliveryOutcome outcome) {
        followUps(channel, outcome).increment();
    }

    /** Offline inbox entries withdrawn because their alert was retracted or deleted. */
    public void inboxWithdrawn(long entries) {
        inboxWithdrawals().increment(entries);
    }

    public void inboxAppended() {
        inboxAppends().increment();
    }

    public void inboxDropped(long entries) {
        inboxDrops().increment(entries);
    }

    public void consumerPending(long value) {
        pending.set(value);
    }

    public void consumerLag(long value) {
        lag.set(value);
    }

    public void stepsPending(long value) {
        stepsPending.set(value);
    }

    private Counter sends(DeliveryChannel channel, DeliveryOutcome outcome) {
        return Counter.builder("tocsin.relay.sends")
                .description("Push deliveries by channel and outcome")
                .tag("channel", wire(channel))
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    private Counter retries(DeliveryChannel channel) {
        return Counter.builder("tocsin.relay.retries")
                .description("Push attempts repeated after a retryable failure (429, 5xx, timeout)")
                .tag("channel", wire(channel))
                .register(registry);
    }

    private Counter deadLetters(DeliveryChannel channel) {
        return Counter.builder("tocsin.relay.dead.letters")
                .description("Pushes given up after the last attempt and written to the dead-letter stream")
                .tag("channel", wire(channel))
                .register(registry);
    }

    private Counter escalations(String step) {
        return Counter.builder("tocsin.relay.escalations")
                .description("Escalation steps run for unacknowledged alerts")
                .tag("step", step)
                .register(registry);
    }

    private Counter replans(String change) {
        return Counter.builder("tocsin.relay.escalation.replans")
                .description("Escalations started or stopped by an edit of the priority or an un-acknowledgment")
                .tag("change", change)
                .register(registry);
    }

    private Counter followUps(DeliveryChannel channel, DeliveryOutcome outcome) {
        return Counter.builder("tocsin.relay.follow.ups")
                .description("Follow-up pushes (alert resolved or retracted) by channel and outcome")
                .tag("channel", wire(channel))
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    private Counter inboxWithdrawals() {
        return Counter.builder("tocsin.relay.inbox.withdrawn")
                .description("Offline inbox entries withdrawn because their alert was retracted or deleted")
                .register(registry);
    }

    private Counter inboxAppends() {
        return Counter.builder("tocsin.relay.inbox.appends")
                .description("Alerts written to the offline inbox of a user without a live session")
                .register(registry);
    }

    private Counter inboxDrops() {
        return Counter.builder("tocsin.relay.inbox.dropped")
                .description("Offline inbox entries removed because the inbox was full (oldest non-critical first)")
                .register(registry);
    }

    private static String wire(DeliveryChannel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }
}
