package dev.tocsin.relay.escalation;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Escalation follows the alert's current priority (%test: critical {@code all:3s,group:4s}, others none): an edit
 * to critical starts it, counted from the edit; an edit away from critical stops it; an un-acknowledgment of a
 * critical alert starts it again from the first step, in a new round. Redelivered and older events change nothing.
 */
@QuarkusTest
@RelayTest
class ReplanTest extends RelayTestBase {

    @Test
    void raisingToCriticalStartsEscalationOnceEvenWhenTheEditIsDeliveredAgain() {
        Relay.Pushed pushed = relay.pushedOverTelegram(Priority.HIGH);
        String chat = pushed.chat();
        Alert created = pushed.alert();
        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(created.id()) == 0);
        double started = Relay.metric("tocsin_relay_escalation_replans_total", Map.of("change", "started"));

        String edit = Relay.event(ChangeOp.UPDATED, Relay.changed(created, 2, Priority.CRITICAL, AlertStatus.ACTIVE,
                null, AlertChange.UPDATED, null));
        relay.append(edit);

        await().atMost(Relay.DEADLINE).until(() -> relay.pendingStepNames(created.id()).size() == 2);
        assertEquals(List.of("all-3s", "group-4s"), relay.pendingStepNames(created.id()).stream().sorted().toList());
        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 2);
        relay.append(edit); // redelivered
        relay.append(Relay.event(ChangeOp.UPDATED, Relay.changed(created, 1, Priority.CRITICAL, AlertStatus.ACTIVE,
                null, AlertChange.UPDATED, null))); // an older event
        await().atMost(Relay.DEADLINE).until(() -> relay.groupPending() == 0 && relay.pendingSteps(created.id()) == 0);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
                .until(() -> relay.telegramRequests(chat) == 2 && relay.pendingSteps(created.id()) == 0);
        assertEquals(started + 1, Relay.metric("tocsin_relay_escalation_replans_total", Map.of("change", "started")));
        assertTrue(relay.records(created.id()).stream().anyMatch(r -> r.step().equals("all-3s")
                && r.outcome() == DeliveryOutcome.DELIVERED), relay.records(created.id()).toString());
    }

    @Test
    void loweringFromCriticalCancelsThePendingEscalation() {
        Relay.Pushed pushed = relay.pushedOverTelegram(Priority.CRITICAL);
        String chat = pushed.chat();
        Alert created = pushed.alert();
        // The push is recorded by the Telegram server before the relay has settled its own due entry: wait for the
        // two escalation steps alone rather than reading the due set at once.
        await().atMost(Relay.DEADLINE).until(() -> relay.pendingStepNames(created.id()).stream().sorted().toList()
                .equals(List.of("all-3s", "group-4s")));

        relay.append(Relay.event(ChangeOp.UPDATED, Relay.changed(created, 2, Priority.MEDIUM, AlertStatus.ACTIVE,
                null, AlertChange.UPDATED, null)));

        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(created.id()) == 0);
        // past both escalation delays: nothing more was sent
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> relay.telegramRequests(chat) == 1);
    }

    @Test
    void unacknowledgingACriticalAlertRestartsEscalationFromTheFirstStep() {
        Relay.Pushed pushed = relay.pushedOverTelegram(Priority.CRITICAL);
        String chat = pushed.chat();
        Alert created = pushed.alert();
        String ack = Relay.event(ChangeOp.UPDATED, Relay.changed(created, 2, Priority.CRITICAL, AlertStatus.ACTIVE,
                "alice", AlertChange.ACKNOWLEDGED, null));
        relay.append(ack);
        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(created.id()) == 0);

        relay.append(Relay.event(ChangeOp.UPDATED, Relay.changed(created, 3, Priority.CRITICAL, AlertStatus.ACTIVE,
                null, AlertChange.UNACKNOWLEDGED, null)));
        relay.append(ack); // the acknowledgment redelivered after the un-acknowledgment: older, ignored

        await().atMost(Relay.DEADLINE).until(() -> relay.pendingStepNames(created.id()).size() == 2);
        assertEquals(List.of("all-3s@2", "group-4s@2"),
                relay.pendingStepNames(created.id()).stream().sorted().toList());
        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 2);
        List<DeliveryRecord> records = relay.records(created.id());
        assertTrue(records.stream().anyMatch(r -> r.step().equals("all-3s@2")
                && r.outcome() == DeliveryOutcome.DELIVERED), records.toString());
    }
}
