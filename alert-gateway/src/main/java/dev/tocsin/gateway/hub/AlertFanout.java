package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.delivery.EncodedAlert;
import dev.tocsin.gateway.delivery.MessageTypes;
import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.session.Subscriber;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.ServerMessage;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Delivers one event to every connection entitled to it. The event becomes one frame ({@link EventTranslation}),
 * encoded at most once (on the first connection that gets it) and shared by all; per connection the cost is a
 * routing check on decoded records and a hand-over to its delivery pipeline. Events are fanned out one at a time in
 * arrival order.
 *
 * <p>New alerts go to connections whose audience, subscribed groups and filters all match; changes
 * ({@code alert_update}, {@code alert_ack}) go to every connection the audience allows, so a filter changed since
 * never hides a change to an alert a client holds.
 */
@ApplicationScoped
public class AlertFanout {

    private final OpenConnections connections;
    private final GatewayMetrics metrics;

    AlertFanout(OpenConnections connections, GatewayMetrics metrics) {
        this.connections = connections;
        this.metrics = metrics;
    }

    /** Fans one event out; returns how many connections it was handed to. */
    public int publish(AlertEvent event) {
        Timer.Sample sample = Timer.start();
        EventTranslation.Frame frame = EventTranslation.translate(event);
        int delivered;
        try {
            delivered = frame.newAlert() ? publishNew(event, frame) : publishChange(event, frame);
        } catch (EncodingFailed e) {
            metrics.eventEncodeFailed();
            Log.errorf("Skipped event seq %d (alert %s): cannot encode it: %s", event.seq(), event.alertId(),
                    e.getCause().getMessage());
            return 0;
        }
        sample.stop(metrics.fanoutTimer());
        Log.debugf("Event seq %d (%s %s) handed to %d connections as %s", event.seq(), event.op(), event.alertId(),
                delivered, frame.type());
        return delivered;
    }

    private int publishNew(AlertEvent event, EventTranslation.Frame frame) {
        Alert alert = event.alert();
        EncodedAlert encoded = null;
        int delivered = 0;
        for (WebSocketConnection connection : connections) {
            Subscriber subscriber = Subscriber.of(connection);
            if (subscriber == null || !subscriber.isActive() || subscriber.skips(event.epoch(), event.seq())) {
                continue;
            }
            try {
                if (AudienceRouting.reaches(event, subscriber.principal())
                        && subscriber.subscription().wants(alert, subscriber.principal())) {
                    if (encoded == null) {
                        encoded = encodeAlert(event, frame);
                    }
                    subscriber.delivery().alert(encoded);
                    delivered++;
                }
            } catch (EncodingFailed e) {
                throw e;
            } catch (RuntimeException e) {
                Log.warnf("Skipped connection %s for event seq %d: %s", connection.id(), event.seq(), e.toString());
            }
        }
        return delivered;
    }

    private int publishChange(AlertEvent event, EventTranslation.Frame frame) {
        OutboundFrame encoded = null;
        int delivered = 0;
        for (WebSocketConnection connection : connections) {
            Subscriber subscriber = Subscriber.of(connection);
            if (subscriber == null || !subscriber.isActive() || subscriber.skips(event.epoch(), event.seq())) {
                continue;
            }
            try {
                if (AudienceRouting.reaches(event, subscriber.principal())) {
                    if (encoded == null) {
                        encoded = OutboundFrame.event(frame.type(), encode(frame.message()), frame.priority(),
                                event.seq());
                    }
                    subscriber.delivery().change(encoded);
                    delivered++;
                }
            } catch (EncodingFailed e) {
                throw e;
            } catch (RuntimeException e) {
                Log.warnf("Skipped connection %s for event seq %d: %s", connection.id(), event.seq(), e.toString());
            }
        }
        return delivered;
    }

    /**
     * Events {@code fromSeq..toSeq} are lost to this gateway (not received, trimmed from the history): every
     * connection is told with a {@code gap} (reason {@code history_trimmed}), since nobody can tell whom they concerned.
     */
    public void missed(long fromSeq, long toSeq) {
        OutboundFrame gap = OutboundFrame.control(MessageTypes.GAP, encode(new ServerMessage.Gap(fromSeq, toSeq,
                toSeq - fromSeq + 1, "history_trimmed")));
        for (WebSocketConnection connection : connections) {
            Subscriber subscriber = Subscriber.of(connection);
            if (subscriber != null && subscriber.isActive()) {
                subscriber.delivery().control(gap);
            }
        }
    }

    private static EncodedAlert encodeAlert(AlertEvent event, EventTranslation.Frame frame) {
        Alert alert = event.alert();
        Priority priority = alert.priority() == null ? Priority.MEDIUM : alert.priority();
        String text = encode(frame.message());
        // Critical alerts are never batched: their batch entry is never needed.
        String entry = priority == Priority.CRITICAL ? null : encode(new ServerMessage.BatchedAlert(event.epoch(),
                event.seq(), event.op(), event.alertId(), alert));
        long createdAt = alert.createdAt() == null ? 0 : alert.createdAt().toEpochMilli();
        return new EncodedAlert(event.seq(), priority, createdAt, text, entry, event.alertId());
    }

    private static String encode(Object message) {
        try {
            return Json.encode(message);
        } catch (RuntimeException e) {
            throw new EncodingFailed(e);
        }
    }

    /** The event's frame cannot be encoded: skip the event for everyone. */
    private static final class EncodingFailed extends RuntimeException {
        EncodingFailed(RuntimeException cause) {
            super(cause);
        }
    }
}
