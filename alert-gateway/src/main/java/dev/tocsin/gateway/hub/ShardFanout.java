package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.gateway.delivery.EncodedAlert;
import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;

import java.util.ArrayList;
import java.util.List;

/**
 * Delivers a run of consecutive events to the connections of one shard, on its loop: connection by connection, each
 * event in order. Per connection the cost is a routing check on decoded records and a hand-over to its delivery.
 * Critical alerts a connection gets in the same run leave together, at once, as one frame ({@code alert} for one,
 * {@code alert_batch} for several): a burst costs one write per connection, not one per alert. Lower priorities go
 * to the batch window as always; a change first sends the critical alerts gathered before it, so it never overtakes
 * them.
 */
final class ShardFanout {

    private final GatewayMetrics metrics;

    ShardFanout(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Delivers {@code run} to the first {@code size} of {@code members}; on the shard's loop. */
    void deliverRun(Recipient[] members, int size, List<FanoutEvent> run) {
        Timer.Sample sample = Timer.start();
        CriticalFrames criticalFrames = new CriticalFrames();
        List<EncodedAlert> critical = new ArrayList<>(run.size());
        for (int i = 0; i < size; i++) {
            Recipient recipient = members[i];
            if (!recipient.isActivated()) {
                continue;
            }
            try {
                deliverRun(recipient, run, critical, criticalFrames);
            } catch (RuntimeException e) {
                Log.warnf("Skipped connection %s for events seq %d..%d: %s", recipient.connectionId(),
                        run.get(0).event().seq(), run.get(run.size() - 1).event().seq(), e.toString());
            } finally {
                critical.clear();
            }
        }
        sample.stop(metrics.fanoutTimer());
    }

    private static void deliverRun(Recipient recipient, List<FanoutEvent> run, List<EncodedAlert> critical,
            CriticalFrames criticalFrames) {
        ConnectionDelivery delivery = recipient.delivery();
        for (int e = 0; e < run.size(); e++) {
            FanoutEvent item = run.get(e);
            AlertEvent event = item.event();
            if (!recipient.receives(event)) {
                continue;
            }
            if (item.alert() != null) {
                if (!recipient.wants(event.alert())) {
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
        // Every event of the run was handed over (those gathered here go next, before anything is written): the
        // cursor may reach the run's end once nothing older waits. Events not for this connection count as handed.
        AlertEvent last = run.get(run.size() - 1).event();
        delivery.offered(last.epoch(), last.seq());
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
}
