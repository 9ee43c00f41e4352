package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.delivery.EncodedAlert;
import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.pipeline.PipelineSink;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.MessageTypes;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Where the ordered pipeline hands each event: it becomes one frame ({@link EventTranslation}), encoded once, to JSON
 * and to UTF-8, on the pipeline's thread, and is handed to each event loop's {@link ConnectionShard}, which walks its
 * own connections ({@link ShardFanout}), so the fan-out runs on all loops at once and every write happens on the
 * connection's own thread. Events are handed over in pipeline order, and each shard keeps that order.
 *
 * <p>New alerts go to connections whose audience, subscribed groups and filters all match; changes
 * ({@code alert_update}, {@code alert_ack}) go to every connection the audience allows, so a filter changed since
 * never hides a change to an alert a client holds.
 */
@ApplicationScoped
public class AlertFanout implements PipelineSink {

    private final EventLoopShards<? extends Recipient> shards;
    private final GatewayMetrics metrics;

    AlertFanout(EventLoopShards<? extends Recipient> shards, GatewayMetrics metrics) {
        this.shards = shards;
        this.metrics = metrics;
    }

    /** Hands one event to every shard; called under the pipeline's lock, so the shards see pipeline order. */
    @Override
    public void deliver(AlertEvent event) {
        long handedOver = System.nanoTime();
        EventTranslation.Frame frame = EventTranslation.translate(event);
        FanoutEvent item;
        try {
            if (frame.newAlert()) {
                EncodedAlert alert = encodeAlert(event, frame, handedOver);
                alert.frame().utf8();
                item = new FanoutEvent(event, alert, null);
            } else {
                OutboundFrame change = OutboundFrame.event(frame.type(), encode(frame.message()), frame.priority(),
                        event.epoch(), event.seq());
                change.utf8();
                item = new FanoutEvent(event, null, change);
            }
        } catch (EncodingFailed e) {
            metrics.eventEncodeFailed();
            Log.errorf("Skipped event seq %d (alert %s): cannot encode it: %s", event.seq(), event.alertId(),
                    e.getCause().getMessage());
            return;
        }
        List<? extends ConnectionShard<?>> all = shards.all();
        for (int i = 0; i < all.size(); i++) {
            all.get(i).publish(item);
        }
    }

    /**
     * Events {@code fromSeq..toSeq} are lost to this gateway (not received, trimmed from the history): every
     * connection is told with a {@code gap} (reason {@code history_trimmed}), since nobody can tell whom they concerned.
     * In order with the events, like them.
     */
    @Override
    public void missed(String epoch, long fromSeq, long toSeq) {
        OutboundFrame gap = OutboundFrame.withCursor(MessageTypes.GAP, encode(new ServerMessage.Gap(fromSeq, toSeq,
                toSeq - fromSeq + 1, "history_trimmed")));
        for (ConnectionShard<? extends Recipient> shard : shards.all()) {
            shard.forEachActivated(recipient -> recipient.delivery().send(gap), () -> { });
        }
    }

    private static EncodedAlert encodeAlert(AlertEvent event, EventTranslation.Frame frame, long handedOver) {
        Alert alert = event.alert();
        Priority priority = alert.priority() == null ? Priority.MEDIUM : alert.priority();
        String text = encode(frame.message());
        // Critical alerts need the batch entry too: a burst of them travels as one alert_batch.
        String entry = encode(new ServerMessage.BatchedAlert(event.epoch(), event.seq(), event.op(), event.alertId(),
                alert.version(), alert));
        long createdAt = alert.createdAt() == null ? 0 : alert.createdAt().toEpochMilli();
        return new EncodedAlert(event.epoch(), event.seq(), priority, createdAt, text, entry, event.alertId(),
                handedOver);
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
