package dev.tocsin.relay.escalation;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
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
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** %test escalation of critical alerts: {@code all:3s,group:4s}. */
@QuarkusTest
@RelayTest
class EscalationTest extends RelayTestBase {

    @Test
    void anUnacknowledgedCriticalAlertEscalatesToItsRecipientsThenToTheEscalationGroup() {
        String oncall = Relay.unique("oncall");
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        String token = Relay.unique("tok");
        String lead = Relay.unique("lead");
        String leadChat = Relay.unique("chat");
        relay.user(user, chat, List.of(token));
        relay.user(lead, leadChat, List.of(), null, null, Set.of(oncall));
        double all = Relay.metric("tocsin_relay_escalations_total", Map.of("step", "all-3s"));
        double group = Relay.metric("tocsin_relay_escalations_total", Map.of("step", "group-4s"));
        Alert alert = Relay.alert(Priority.CRITICAL, Audience.of(List.of(user), List.of()), oncall);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 1 && relay.fcmSent(token) == 1);
        assertEquals(0, relay.telegramRequests(leadChat), "the group is not paged before its step");
        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 2 && relay.fcmSent(token) == 2);
        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(leadChat) == 1);
        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(alert.id()) == 0);

        List<DeliveryRecord> records = relay.records(alert.id());
        assertEquals(Set.of("offline", "all-3s", "group-4s"),
                Set.copyOf(records.stream().map(DeliveryRecord::step).toList()));
        assertTrue(records.stream().allMatch(r -> r.outcome() == DeliveryOutcome.DELIVERED), records.toString());
        assertEquals(all + 1, Relay.metric("tocsin_relay_escalations_total", Map.of("step", "all-3s")));
        assertEquals(group + 1, Relay.metric("tocsin_relay_escalations_total", Map.of("step", "group-4s")));
    }

    @Test
    void anAcknowledgmentCancelsEveryPendingStep() {
        String oncall = Relay.unique("oncall");
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        String lead = Relay.unique("lead");
        String leadChat = Relay.unique("chat");
        relay.user(user, chat, List.of());
        relay.user(lead, leadChat, List.of(), null, null, Set.of(oncall));
        Alert alert = Relay.alert(Priority.CRITICAL, Audience.of(List.of(user), List.of()), oncall);

        relay.created(alert);
        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 1);
        assertEquals(2, relay.pendingSteps(alert.id()), "both escalation steps are planned");

        relay.append(Relay.event(ChangeOp.UPDATED, Relay.acknowledged(alert, "alice")));

        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(alert.id()) == 0);
        // past both escalation delays (3 s and 4 s after creation): nothing more was sent
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> relay.telegramRequests(chat) == 1 && relay.telegramRequests(leadChat) == 0);
        assertTrue(relay.records(alert.id()).stream().allMatch(r -> r.step().equals("offline")));
    }

    @Test
    void escalationReachesRecipientsEvenWhenTheyAreOnline() {
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        relay.user(user, chat, List.of());
        relay.online(user);
        Alert alert = Relay.alert(Priority.CRITICAL, Audience.of(List.of(user), List.of()), null);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 1);
        DeliveryRecord first = relay.records(alert.id()).stream().filter(r -> r.step().equals("offline"))
                .findFirst().orElseThrow();
        assertEquals(DeliveryOutcome.SKIPPED, first.outcome());
        assertEquals("online", first.detail());
        assertTrue(relay.records(alert.id()).stream().anyMatch(r -> r.step().equals("all-3s")
                && r.outcome() == DeliveryOutcome.DELIVERED));
    }

    @Test
    void aClearedAlertIsNeitherPushedNorEscalated() {
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        relay.user(user, chat, List.of());
        Alert alert = Relay.alert(Priority.CRITICAL, Audience.of(List.of(user), List.of()), null);

        // a late created event after the delete must not resurrect the plan
        relay.appendTogether(Relay.event(ChangeOp.DELETED, alert), Relay.event(ChangeOp.CREATED, alert));

        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
                .until(() -> relay.telegramRequests(chat) == 0 && relay.pendingSteps(alert.id()) == 0);
    }
}
