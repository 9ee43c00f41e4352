package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.session.Subscriber;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one place that writes frames to clients. Sends never block: the write is handed to the connection's event
 * loop and its outcome is counted and, on failure, logged for that connection only. Writes issued from one thread
 * reach a connection in the order they were issued, which is what keeps alerts in event order.
 *
 * <p>Later features (per-connection outbound queues, batching, slow-consumer handling) belong here, in front of
 * the transport write.
 */
@ApplicationScoped
public class MessageSender {

    private final GatewayMetrics metrics;

    MessageSender(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Encodes and sends one message to one subscriber (greetings, answers, errors). */
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
        sendEncoded(subscriber, type, text);
    }

    /** Sends an already encoded frame; the fan-out encodes each event once and sends the same text to everyone. */
    public void sendEncoded(Subscriber subscriber, String type, String text) {
        if (subscriber.connection().isClosed()) {
            return;
        }
        try {
            subscriber.connection().sendText(text).subscribe().with(
                    ignored -> metrics.sent(type),
                    failure -> {
                        metrics.sendFailed(type);
                        Log.debugf("Sending %s to connection %s failed: %s", type, subscriber.connectionId(),
                                failure.toString());
                    });
        } catch (RuntimeException e) {
            // A write that fails synchronously must not escape into the caller's loop over other connections.
            metrics.sendFailed(type);
            Log.warnf("Sending %s to connection %s failed: %s", type, subscriber.connectionId(), e.toString());
        }
    }
}
