package dev.tocsin.gateway.session;

import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.MessageTypes;
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

    /** Encodes and sends one message to one session. */
    public void send(Session session, ServerMessage message) {
        String type = MessageTypes.of(message);
        String text;
        try {
            text = Json.encode(message);
        } catch (RuntimeException e) {
            Log.errorf("Cannot encode %s message for connection %s: %s", type, session.connectionId(),
                    e.getMessage());
            metrics.sendFailed(type);
            return;
        }
        if (session.connection().isClosed()) {
            return;
        }
        OutboundFrame frame = frameOf(message, type, text);
        session.onLoop(() -> session.delivery().send(frame));
    }

    /** The frame for an answer or notice: those that carry the connection's cursor get it appended as written. */
    private static OutboundFrame frameOf(ServerMessage message, String type, String text) {
        if (message instanceof ServerMessage.SyncResponse response) {
            return OutboundFrame.answerWithCursor(type, text, response.epoch());
        }
        if (message instanceof ServerMessage.Ping || message instanceof ServerMessage.Gap) {
            return OutboundFrame.withCursor(type, text);
        }
        return OutboundFrame.control(type, text);
    }
}
