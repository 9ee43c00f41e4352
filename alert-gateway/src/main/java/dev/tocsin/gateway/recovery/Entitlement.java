package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.hub.AudienceRouting;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether an event is for a connection: live, the audience decides, and for new alerts also the subscribed groups
 * and filters. A replay ({@code sync}) follows the same rules and narrows only the new alerts further, by what the
 * {@code sync} asked for:
 * <ul>
 *   <li>changes ({@code alert_update}, {@code alert_ack}) are replayed whenever the audience allows, like live ones:
 *   priorities, filters, subscriptions and {@code includeAcknowledged} never hide a change to an alert the client may
 *   hold, or a reconnecting client would keep a state it is told is recovered;</li>
 *   <li>new alerts ({@code alert}) are replayed when the live rule passes, their priority was asked for (if any was),
 *   and, without {@code includeAcknowledged}, the alert is not acknowledged by the end of the replayed range.</li>
 * </ul>
 * The change of an alert whose {@code alert} frame was not replayed (acknowledged within the range, or narrowed away)
 * is still sent: which alerts a client holds is the client's to know, not the gateway's, and clients ignore changes
 * of alerts they do not hold (as they do for live deletes of alerts they never saw).
 */
final class Entitlement {

    private final Set<Priority> priorities;
    /** Alerts whose {@code alert} frame is not replayed because they are acknowledged (empty when asked to). */
    private final Set<String> acknowledgedAlerts;

    private Entitlement(Set<Priority> priorities, Set<String> acknowledgedAlerts) {
        this.priorities = priorities == null || priorities.isEmpty() ? null : priorities;
        this.acknowledgedAlerts = acknowledgedAlerts;
    }

    static boolean live(AlertEvent event, Session session) {
        if (!AudienceRouting.reaches(event, session.principal())) {
            return false;
        }
        return event.op() != ChangeOp.CREATED || session.wants(event.alert());
    }

    /**
     * The replay rules of one {@code sync} over {@code range}, the events it replays from; the range tells which
     * alerts are acknowledged by its end (the last event of each alert in the range says).
     */
    static Entitlement forReplay(List<AlertEvent> range, Set<Priority> priorities, boolean includeAcknowledged) {
        Set<String> acknowledged = new HashSet<>();
        if (!includeAcknowledged) {
            // The range is in order, so the last event of an alert decides: an acknowledgment can be taken back.
            for (AlertEvent event : range) {
                if (event.alert() == null) {
                    continue;
                }
                if (event.alert().isAcknowledged()) {
                    acknowledged.add(event.alertId());
                } else {
                    acknowledged.remove(event.alertId());
                }
            }
        }
        return new Entitlement(priorities, acknowledged);
    }

    /** Whether {@code event}, of the range this was made for, is replayed to {@code session}. */
    boolean replays(AlertEvent event, Session session) {
        if (!live(event, session)) {
            return false;
        }
        if (event.op() != ChangeOp.CREATED) {
            return true;
        }
        Alert alert = event.alert();
        if (priorities != null && !priorities.contains(alert.priority())) {
            return false;
        }
        return !acknowledgedAlerts.contains(event.alertId());
    }
}
