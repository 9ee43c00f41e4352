package dev.tocsin.gateway.metrics;

import dev.tocsin.gateway.delivery.MessageTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's meters, registered once at startup so they show at {@code /q/metrics} before the first event.
 * Prometheus names: {@code tocsin_gateway_connections}, {@code tocsin_gateway_messages_sent_total{type}},
 * {@code tocsin_gateway_send_failures_total{type}}, {@code tocsin_gateway_events_received_total},
 * {@code tocsin_gateway_event_decode_failures_total{reason}}, {@code tocsin_gateway_event_encode_failures_total},
 * {@code tocsin_gateway_fanout_seconds}.
 */
@Startup
@Singleton
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> sent = new ConcurrentHashMap<>();
    private final Map<String, Counter> sendFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> decodeFailures = new ConcurrentHashMap<>();
    private final Counter eventsReceived;
    private final Counter encodeFailures;
    private final Timer fanout;

    GatewayMetrics(MeterRegistry registry, OpenConnections connections) {
        this.registry = registry;
        // Counted from the connection registry at scrape time, so it cannot drift from the truth.
        Gauge.builder("tocsin.gateway.connections", connections, c -> c.stream().count())
                .description("Open WebSocket connections")
                .strongReference(true)
                .register(registry);
        for (String type : MessageTypes.all()) {
            sentCounter(type);
            sendFailureCounter(type);
        }
        for (String reason : new String[] {"malformed", "invalid"}) {
            decodeFailureCounter(reason);
        }
        eventsReceived = Counter.builder("tocsin.gateway.events.received")
                .description("Messages received on the Redis event channel").register(registry);
        encodeFailures = Counter.builder("tocsin.gateway.event.encode.failures")
                .description("Events skipped because their alert message could not be encoded").register(registry);
        fanout = Timer.builder("tocsin.gateway.fanout")
                .description("Time to route one event and hand it to every matching connection")
                .register(registry);
    }

    public void sent(String type) {
        sentCounter(type).increment();
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

    private Counter sentCounter(String type) {
        return sent.computeIfAbsent(type, t -> Counter.builder("tocsin.gateway.messages.sent")
                .description("Frames written to clients, by message type").tag("type", t).register(registry));
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
}
