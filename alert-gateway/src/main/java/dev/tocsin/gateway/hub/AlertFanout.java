package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.delivery.MessageSender;
import dev.tocsin.gateway.delivery.MessageTypes;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.session.Subscriber;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.ServerMessage;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Delivers one event to every connection entitled to it. The alert message is built and encoded once per event
 * and the same text is written to each matching connection, so the cost per connection is a routing check and a
 * non-blocking write. Events are fanned out one at a time in arrival order, so every connection sees them in
 * that order.
 */
@ApplicationScoped
public class AlertFanout {

    private final OpenConnections connections;
    private final MessageSender sender;
    private final GatewayMetrics metrics;

    AlertFanout(OpenConnections connections, MessageSender sender, GatewayMetrics metrics) {
        this.connections = connections;
        this.sender = sender;
        this.metrics = metrics;
    }

    /** Fans one event out; returns how many connections it was handed to. */
    public int publish(AlertEvent event) {
        Timer.Sample sample = Timer.start();
        String text;
        try {
            text = Json.encode(new ServerMessage.AlertMessage(event.epoch(), event.seq(), event.op(), event.alertId(),
                    event.alert()));
        } catch (RuntimeException e) {
            metrics.eventEncodeFailed();
            Log.errorf("Skipped event seq %d (alert %s): cannot encode it: %s", event.seq(), event.alertId(),
                    e.getMessage());
            return 0;
        }
        int delivered = 0;
        for (WebSocketConnection connection : connections) {
            try {
                Subscriber subscriber = Subscriber.of(connection);
                if (subscriber != null && subscriber.isActive() && AudienceRouting.reaches(event, subscriber.principal())) {
                    sender.sendEncoded(subscriber, MessageTypes.ALERT, text);
                    delivered++;
                }
            } catch (RuntimeException e) {
                Log.warnf("Skipped connection %s for event seq %d: %s", connection.id(), event.seq(), e.toString());
            }
        }
        sample.stop(metrics.fanoutTimer());
        Log.debugf("Event seq %d (%s %s) handed to %d connections", event.seq(), event.op(), event.alertId(), delivered);
        return delivered;
    }
}
