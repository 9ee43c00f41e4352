package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.hub.AudienceRouting;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;

import java.util.Set;

/**
 * Whether a replayed event is for a connection: the same rules as live delivery (audience; for new alerts also the
 * subscribed groups and filters), narrowed by what the {@code sync} asked for (priorities, acknowledged alerts).
 */
final class Entitlement {

    private Entitlement() {
    }

    static boolean live(AlertEvent event, Session session) {
        if (!AudienceRouting.reaches(event, session.principal())) {
            return false;
        }
        return event.op() != ChangeOp.CREATED || session.wants(event.alert());
    }

    static boolean replay(AlertEvent event, Session session, Set<Priority> priorities,
            boolean includeAcknowledged) {
        if (!live(event, session)) {
            return false;
        }
        Alert alert = event.alert();
        if (alert == null) {
            return true; // a delete carries only the id; it passes every narrowing
        }
        if (priorities != null && !priorities.isEmpty() && !priorities.contains(alert.priority())) {
            return false;
        }
        return includeAcknowledged || alert.acknowledgedBy() == null;
    }
}
