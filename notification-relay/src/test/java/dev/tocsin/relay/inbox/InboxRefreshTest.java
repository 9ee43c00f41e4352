package dev.tocsin.relay.inbox;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An offline user's inbox entry follows the alert: each change of the open alert replaces it in place by the change's
 * event (newer versions only, so a late or redelivered older change does not turn it back), and it is withdrawn
 * once the alert is over.
 */
@QuarkusTest
@RelayTest
class InboxRefreshTest extends RelayTestBase {

    @Test
    void theEntryHoldsTheAlertsLatestChangeUntilTheAlertIsOver() {
        String user = Relay.unique("u");
        String other = Relay.unique("u");
        relay.user(user, null, List.of());
        relay.user(other, null, List.of());
        Alert alert = Relay.versioned(Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null));
        Alert untouched = Relay.versioned(Relay.alert(Priority.HIGH, Audience.of(List.of(other), List.of()), null));
        relay.append(Relay.event(ChangeOp.CREATED, alert));
        String untouchedEvent = Relay.event(ChangeOp.CREATED, untouched);
        relay.append(untouchedEvent);
        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).size() == 1 && relay.inbox(other).size() == 1);

        // an edit raising it to critical: the entry becomes the edit's event, with the critical marker
        String edited = Relay.event(ChangeOp.UPDATED, Relay.changed(alert, 2, Priority.CRITICAL, AlertStatus.ACTIVE,
                null, AlertChange.UPDATED, null));
        relay.append(edited);
        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).equals(List.of("c|" + edited)));

        // an acknowledgment, then the edit delivered again late: the entry keeps the newer acknowledgment
        String acked = Relay.event(ChangeOp.UPDATED, Relay.changed(alert, 3, Priority.CRITICAL, AlertStatus.ACTIVE,
                "bob", AlertChange.ACKNOWLEDGED, null));
        relay.append(acked);
        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).equals(List.of("c|" + acked)));
        relay.append(edited);
        await().atMost(Relay.DEADLINE).until(() -> relay.groupPending() == 0);
        assertEquals(List.of("c|" + acked), relay.inbox(user));

        // resolved: nothing left to hand over, the entry is withdrawn in place
        relay.append(Relay.event(ChangeOp.UPDATED, Relay.changed(alert, 4, Priority.CRITICAL, AlertStatus.RESOLVED,
                "bob", AlertChange.RESOLVED, "dry again")));
        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).equals(List.of("x|" + alert.id())));
        assertEquals(List.of("n|" + untouchedEvent), relay.inbox(other), "other alerts' entries are untouched");
    }
}
