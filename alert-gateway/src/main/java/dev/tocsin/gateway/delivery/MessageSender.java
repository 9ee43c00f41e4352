package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.session.Subscriber;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends answers and notices (greeting, pong, errors, subscription answers, stats, pings) to one connection. They
 * pass the connection's event loop shard and outbound queue like alerts, so writes keep the order in which they were
 * submitted, but are never dropped.
 */
@ApplicationScoped
public class MessageSender {

    private final GatewayMetrics metrics;

    MessageSender(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Encodes and sends one message to one subscriber. */
    public void send(Subscriber subscriber, ServerMessage message) {
        String type = MessageTypes.of(message);
        String text;
        try {
            text = Json.encode(message);
        } catch (RuntimeException e) {
            Log.errorf("Cannot encode %s message for connection %s: %s", type, subscriber.connectionId(),
                    e.getMessage());
            metrics.sendFailed(type);
            return;
        }
        sendEncoded(subscriber, OutboundFrame.control(type, text));
    }

    /** Sends a frame encoded once and shared by many connections (for example the heartbeat {@code ping}). */
    public void sendEncoded(Subscriber subscriber, OutboundFrame frame) {
        if (subscriber.connection().isClosed()) {
            return;
        }
        subscriber.onLoop(() -> subscriber.delivery().control(frame));
    }
}
