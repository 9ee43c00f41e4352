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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A retracted alert is withdrawn from the offline inboxes: its entry is replaced in place by {@code x|<alertId>}
 * (which the gateway skips, so the list does not shift under a gateway reading it), no later entry is written, and
 * its pending pushes are cancelled. Redelivery changes nothing.
 */
@QuarkusTest
@RelayTest
class InboxWithdrawalTest extends RelayTestBase {

    @Test
    void aRetractedAlertLeavesTheInboxAndItsPendingPushesAreCancelled() {
        String user = Relay.unique("u");
        relay.user(user, null, List.of());
        Alert kept = Relay.versioned(Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null));
        Alert retracted = Relay.versioned(Relay.alert(Priority.CRITICAL, Audience.of(List.of(user), List.of()), null));
        String keptEvent = Relay.event(ChangeOp.CREATED, kept);
        relay.append(Relay.event(ChangeOp.CREATED, retracted));
        relay.append(keptEvent);
        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).size() == 2);
        assertEquals(2, relay.pendingSteps(retracted.id()), "its escalation is planned");
        double withdrawn = Relay.metric("tocsin_relay_inbox_withdrawn_total", Map.of());

        String retraction = Relay.event(ChangeOp.UPDATED, Relay.changed(retracted, 2, Priority.CRITICAL,
                AlertStatus.RETRACTED, null, AlertChange.RETRACTED, null));
        relay.append(retraction);

        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).contains("x|" + retracted.id()));
        // replaced in place: same length, the other alert untouched
        assertEquals(Set.of("x|" + retracted.id(), "n|" + keptEvent), Set.copyOf(relay.inbox(user)));
        assertEquals(2, relay.inbox(user).size());
        assertEquals(List.of(), relay.pendingStepNames(retracted.id()).stream()
                .filter(step -> !step.startsWith("follow-up:")).toList(), "its escalation is cancelled");
        relay.append(retraction); // redelivered
        await().atMost(Relay.DEADLINE).until(() -> relay.groupPending() == 0);
        assertEquals(Set.of("x|" + retracted.id(), "n|" + keptEvent), Set.copyOf(relay.inbox(user)));
        assertEquals(withdrawn + 1, Relay.metric("tocsin_relay_inbox_withdrawn_total", Map.of()));
    }

    @Test
    void anAlertRetractedBeforeItsFirstStepReachesNoInboxAndNoPush() {
        String user = Relay.unique("u");
        relay.user(user, null, List.of());
        Alert alert = Relay.versioned(Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null));

        relay.appendTogether(Relay.event(ChangeOp.CREATED, alert), Relay.event(ChangeOp.UPDATED,
                Relay.changed(alert, 2, Priority.HIGH, AlertStatus.RETRACTED, null, AlertChange.RETRACTED, null)));

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8))
                .until(() -> relay.pendingSteps(alert.id()) == 0
                        && relay.inbox(user).stream().noneMatch(e -> e.startsWith("n|") && e.contains(alert.id())));
    }
}
