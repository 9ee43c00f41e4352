package dev.tocsin.relay.event.metrics;

import dev.tocsin.protocol.event.ChangeOp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The relay's event meters. Every series is registered up front (one per {@link ChangeOp}) so that a scrape
 * shows zeros instead of missing series, and rate() alerts work from the first event on.
 * <ul>
 *   <li>{@code tocsin_relay_events_received_total{op}}: events decoded from the events channel;</li>
 *   <li>{@code tocsin_relay_event_decode_failures_total}: messages on the channel that were not a valid event;</li>
 *   <li>{@code tocsin_relay_events_subscribed}: 1 while the relay is subscribed to the channel, else 0.</li>
 * </ul>
 */
@Singleton
public class EventMetrics {

    private final Map<ChangeOp, Counter> received = new EnumMap<>(ChangeOp.class);
    private final Counter decodeFailures;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    public EventMetrics(MeterRegistry registry) {
        for (ChangeOp op : ChangeOp.values()) {
            received.put(op, Counter.builder("tocsin.relay.events.received")
                    .description("Alert events received from the events channel")
                    .tag("op", op.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        decodeFailures = Counter.builder("tocsin.relay.event.decode.failures")
                .description("Messages on the events channel that could not be decoded as an alert event")
                .register(registry);
        Gauge.builder("tocsin.relay.events.subscribed", subscribed, s -> s.get() ? 1 : 0)
                .description("1 while subscribed to the events channel, 0 otherwise")
                .register(registry);
    }

    public void received(ChangeOp op) {
        received.get(op).increment();
    }

    public void decodeFailed() {
        decodeFailures.increment();
    }

    public void subscribed(boolean value) {
        subscribed.set(value);
    }
}
