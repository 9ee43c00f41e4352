package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.delivery.ConnectionDelivery;
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
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Delivers one event to every connection entitled to it. The event becomes one frame ({@link EventTranslation}),
 * encoded once, to JSON and to UTF-8, on the pipeline's thread; then it is handed to each event loop's
 * {@link ConnectionShard}, which walks its own connections, so the fan-out runs on all loops at once and every write
 * happens on the connection's own thread. Per connection the cost is a routing check on decoded records and a
 * hand-over to its delivery pipeline. Events are handed over in pipeline order, and each shard keeps that order.
 *
 * <p>New alerts go to connections whose audience, subscribed groups and filters all match; changes
 * ({@code alert_update}, {@code alert_ack}) go to every connection the audience allows, so a filter changed since
 * never hides a change to an alert a client holds.
 */
@ApplicationScoped
public class AlertFanout {

    private final EventLoopShards shards;
    private final GatewayMetrics metrics;

    AlertFanout(EventLoopShards shards, GatewayMetrics metrics) {
        this.shards = shards;
        this.metrics = metrics;
    }

    /** One event as handed to the shards: encoded once, shared by all. Exactly one of alert and change is set. */
    record FanoutEvent(AlertFanout fanout, AlertEvent event, EncodedAlert alert, OutboundFrame change) {
    }

    /** Hands one event to every shard; called under the pipeline's lock, so the shards see pipeline order. */
    public void publish(AlertEvent event) {
        EventTranslation.Frame frame = EventTranslation.translate(event);
        FanoutEvent item;
        try {
            if (frame.newAlert()) {
                EncodedAlert alert = encodeAlert(event, frame);
                alert.frame().utf8();
                item = new FanoutEvent(this, event, alert, null);
            } else {
                OutboundFrame change = OutboundFrame.event(frame.type(), encode(frame.message()), frame.priority(),
                        event.seq());
                change.utf8();
                item = new FanoutEvent(this, event, null, change);
            }
        } catch (EncodingFailed e) {
            metrics.eventEncodeFailed();
            Log.errorf("Skipped event seq %d (alert %s): cannot encode it: %s", event.seq(), event.alertId(),
                    e.getCause().getMessage());
            return;
        }
        for (ConnectionShard shard : shards.all()) {
            shard.publish(item);
        }
    }

    /**
     * Delivers a run of consecutive events to one shard's connections, on its loop: connection by connection, each
     * event in order. Critical alerts a connection gets in the same run leave together, at once, as one frame
     * ({@code alert} for one, {@code alert_batch} for several): a burst costs one write per connection, not one per
     * alert. Lower priorities go to the batch window as always; a change first sends the critical alerts gathered
     * before it, so it never overtakes them.
     */
    void deliverRun(ConnectionShard shard, List<FanoutEvent> run) {
        Timer.Sample sample = Timer.start();
        CriticalFrames criticalFrames = new CriticalFrames();
        List<EncodedAlert> critical = new ArrayList<>(run.size());
        for (int i = 0, n = shard.size(); i < n; i++) {
            Subscriber subscriber = shard.member(i);
            if (!subscriber.isActivated()) {
                continue;
            }
            try {
                deliverRun(subscriber, run, critical, criticalFrames);
            } catch (RuntimeException e) {
                Log.warnf("Skipped connection %s for events seq %d..%d: %s", subscriber.connectionId(),
                        run.get(0).event().seq(), run.get(run.size() - 1).event().seq(), e.toString());
            } finally {
                critical.clear();
            }
        }
        sample.stop(metrics.fanoutTimer());
    }

    private static void deliverRun(Subscriber subscriber, List<FanoutEvent> run, List<EncodedAlert> critical,
            CriticalFrames criticalFrames) {
        ConnectionDelivery delivery = subscriber.delivery();
        for (int e = 0; e < run.size(); e++) {
            FanoutEvent item = run.get(e);
            AlertEvent event = item.event();
            if (subscriber.skips(event.epoch(), event.seq()) || !AudienceRouting.reaches(event, subscriber.principal())) {
                continue;
            }
            if (item.alert() != null) {
                if (!subscriber.subscription().wants(event.alert(), subscriber.principal())) {
                    continue;
                }
                if (item.alert().priority() == Priority.CRITICAL) {
                    critical.add(item.alert());
                } else {
                    delivery.alert(item.alert());
                }
            } else {
                if (!critical.isEmpty()) {
                    delivery.critical(critical, criticalFrames.of(critical));
                    critical.clear();
                }
                delivery.change(item.change());
            }
        }
        if (!critical.isEmpty()) {
            delivery.critical(critical, criticalFrames.of(critical));
        }
    }

    /**
     * The frame for a list of critical alerts, remembered for the next connection: in a broadcast every connection of
     * a shard gets the same list, so the batch is joined and encoded once per shard and run, not per connection.
     */
    private static final class CriticalFrames {
        private EncodedAlert[] last;
        private OutboundFrame lastFrame;

        OutboundFrame of(List<EncodedAlert> alerts) {
            if (alerts.size() == 1) {
                return alerts.get(0).frame();
            }
            if (last != null && last.length == alerts.size()) {
                boolean same = true;
                for (int i = 0; i < last.length && same; i++) {
                    same = last[i] == alerts.get(i);
                }
                if (same) {
                    return lastFrame;
                }
            }
            last = alerts.toArray(new EncodedAlert[0]);
            lastFrame = EncodedAlert.frameOf(alerts);
            return lastFrame;
        }
    }

    /**
     * Events {@code fromSeq..toSeq} are lost to this gateway (not received, trimmed from the history): every
     * connection is told with a {@code gap} (reason {@code history_trimmed}), since nobody can tell whom they concerned.
     * In order with the events, like them.
     */
    public void missed(long fromSeq, long toSeq) {
        OutboundFrame gap = OutboundFrame.control(MessageTypes.GAP, encode(new ServerMessage.Gap(fromSeq, toSeq,
                toSeq - fromSeq + 1, "history_trimmed")));
        for (ConnectionShard shard : shards.all()) {
            shard.forEachActivated(subscriber -> subscriber.delivery().control(gap), () -> { });
        }
    }

    private static EncodedAlert encodeAlert(AlertEvent event, EventTranslation.Frame frame) {
        Alert alert = event.alert();
        Priority priority = alert.priority() == null ? Priority.MEDIUM : alert.priority();
        String text = encode(frame.message());
        // Critical alerts need the batch entry too: a burst of them travels as one alert_batch.
        String entry = encode(new ServerMessage.BatchedAlert(event.epoch(), event.seq(), event.op(), event.alertId(),
                alert));
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
