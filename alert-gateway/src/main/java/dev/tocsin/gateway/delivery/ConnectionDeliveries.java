package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.clock.Timers;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.socket.SocketWriter;
import dev.tocsin.gateway.stats.ConnectionStats;
import dev.tocsin.protocol.alert.Priority;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

/** Creates each connection's {@link ConnectionDelivery}, writing to its socket, with the settings read once. */
@ApplicationScoped
public class ConnectionDeliveries {

    private final DeliveryCounters counters;
    private final Timers timers;
    private final DeliverySettings settings;

    ConnectionDeliveries(GatewayMetrics metrics, Timers timers, GatewayConfig config) {
        this.counters = countersOf(metrics);
        this.timers = timers;
        this.settings = new DeliverySettings(config.batch().window().toMillis(), config.batch().maxSize(),
                config.outbound().queueSize(), config.outbound().stuckTimeout().toMillis(),
                config.outbound().maxInFlight());
    }

    /**
     * @param onStuck        closes the connection when it does not read
     * @param onAlertsWritten told the new alerts each written frame carried
     */
    public ConnectionDelivery create(WebSocketConnection connection, ConnectionStats stats, Runnable onStuck,
            ConnectionDelivery.AlertsWritten onAlertsWritten) {
        return new ConnectionDelivery(connection.id(), listener -> new SocketWriter<>(connection, listener), stats,
                counters, timers, settings, onStuck, onAlertsWritten);
    }

    /** One adapter for every connection: the delivery's counts go to the gateway's meters. */
    private static DeliveryCounters countersOf(GatewayMetrics metrics) {
        return new DeliveryCounters() {
            @Override
            public void sent(String type, Priority priority) {
                metrics.sent(type, priority);
            }

            @Override
            public void sendFailed(String type) {
                metrics.sendFailed(type);
            }

            @Override
            public void latency(long millis) {
                metrics.latency(millis);
            }

            @Override
            public void fanoutWritten(long nanos) {
                metrics.fanoutWritten(nanos);
            }

            @Override
            public void createdWritten(long millis) {
                metrics.createdWritten(millis);
            }

            @Override
            public void dropped(long events) {
                metrics.dropped("slow_consumer", events);
            }

            @Override
            public void queued(long delta) {
                metrics.queued(delta);
            }

            @Override
            public void batchSent(int alerts) {
                metrics.batchSent(alerts);
            }
        };
    }
}
