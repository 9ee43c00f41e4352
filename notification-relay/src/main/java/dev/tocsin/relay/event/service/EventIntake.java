package dev.tocsin.relay.event.service;

import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.CodecException;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.relay.event.metrics.EventMetrics;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

/**
 * Takes one raw message from the events channel, decodes it with the shared codec and accounts for it.
 * Delivery (Telegram, FCM) will hang off here; for now the relay only proves it receives the stream.
 *
 * <p>Runs on the Redis connection's event loop: it must stay cheap and never block.
 */
@Singleton
public class EventIntake {

    private final EventMetrics metrics;

    public EventIntake(EventMetrics metrics) {
        this.metrics = metrics;
    }

    /** Never throws: one bad message must not end the subscription for the messages after it. */
    public void accept(String text) {
        AlertEvent event;
        try {
            event = Json.decode(text, AlertEvent.class);
        } catch (CodecException e) {
            // the codec's message is safe to log; the payload is not logged (size and content unknown)
            rejected(text, e.field() == null ? e.getMessage() : e.getMessage() + " (field " + e.field() + ")");
            return;
        } catch (RuntimeException e) {
            rejected(text, e.getClass().getSimpleName());
            return;
        }
        if (event == null || event.op() == null || event.alertId() == null) {
            // valid JSON, but not an event the relay could ever act on
            rejected(text, "event without op or alertId");
            return;
        }
        metrics.received(event.op());
        Log.debugf("event %s:%d %s %s", event.epoch(), event.seq(), event.op(), event.alertId());
    }

    private void rejected(String text, String reason) {
        metrics.decodeFailed();
        Log.warnf("Dropped an undecodable message from the events channel (%d chars): %s",
                text == null ? 0 : text.length(), reason);
    }
}
