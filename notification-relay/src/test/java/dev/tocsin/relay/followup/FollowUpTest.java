package dev.tocsin.relay.followup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users who were pushed an alert get exactly one follow-up per outcome when it is resolved or retracted, on the
 * channels they were pushed on; users never pushed get none; FCM follow-ups carry the original's collapse fields;
 * quiet hours hold them back (recorded as skipped). Redelivered events send nothing more.
 */
@QuarkusTest
@RelayTest
class FollowUpTest extends RelayTestBase {

    @Test
    void aResolvedAlertIsFollowedUpOnceToEachPushedUserOnTheSameChannels() {
        String pushed = Relay.unique("u");
        String chat = Relay.unique("chat");
        String token = Relay.unique("tok");
        String online = Relay.unique("u");
        String onlineChat = Relay.unique("chat");
        String picky = Relay.unique("u");
        String pickyChat = Relay.unique("chat");
        relay.user(pushed, chat, List.of(token));
        relay.user(online, onlineChat, List.of());
        relay.online(online);
        relay.user(picky, pickyChat, List.of(), Priority.CRITICAL, null, Set.of());
        Alert alert = Relay.versioned(Relay.alert(Priority.HIGH,
                Audience.of(List.of(pushed, online, picky), List.of()), null));
        double sent = Relay.metric("tocsin_relay_follow_ups_total", Map.of("channel", "telegram",
                "outcome", "delivered"));
        relay.created(alert);
        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 1 && relay.fcmSent(token) == 1
                && relay.pendingSteps(alert.id()) == 0);

        String resolved = Relay.event(ChangeOp.UPDATED, Relay.changed(alert, 2, Priority.HIGH, AlertStatus.RESOLVED,
                null, AlertChange.RESOLVED, "Levee held"));
        relay.append(resolved);

        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 2 && relay.fcmSent(token) == 2);
        relay.append(resolved); // redelivered
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).until(() -> relay.groupPending() == 0
                && relay.telegramRequests(chat) == 2 && relay.fcmRequests(token) == 2
                && relay.telegramRequests(onlineChat) == 0 && relay.telegramRequests(pickyChat) == 0);

        String text = relay.telegramTexts(chat).get(1);
        assertTrue(text.startsWith("<b>Resolved:</b> River &lt;b&gt;level&lt;/b&gt; &amp; rising — Levee held"), text);
        List<JsonNode> fcm = relay.fcmMessages(token);
        JsonNode original = fcm.get(0);
        JsonNode followUp = fcm.get(1);
        assertEquals("Resolved: River <b>level</b> & rising", followUp.path("title").asText());
        assertEquals("Levee held", followUp.path("body").asText());
        assertEquals("resolved", followUp.path("alertStatus").asText());
        assertEquals(alert.id(), original.path("tag").asText());
        for (String field : List.of("tag", "apnsCollapseId", "topic")) {
            assertEquals(original.path(field).asText(), followUp.path(field).asText(), field);
            assertTrue(!original.path(field).asText().isEmpty(), field);
        }
        List<DeliveryRecord> followUps = relay.records(alert.id()).stream()
                .filter(r -> r.step().equals("follow-up:resolved")).toList();
        assertEquals(Set.of(DeliveryChannel.TELEGRAM, DeliveryChannel.FCM),
                Set.copyOf(followUps.stream().map(DeliveryRecord::channel).toList()));
        assertTrue(followUps.stream().allMatch(r -> r.user().equals(pushed)
                && r.outcome() == DeliveryOutcome.DELIVERED), followUps.toString());
        assertEquals(sent + 1, Relay.metric("tocsin_relay_follow_ups_total", Map.of("channel", "telegram",
                "outcome", "delivered")));
    }

    @Test
    void aRetractedAlertIsFollowedUpWithoutAResolutionNote() {
        Relay.Pushed pushed = relay.pushedOverTelegram(Priority.CRITICAL);
        String chat = pushed.chat();
        Alert alert = pushed.alert();

        relay.append(Relay.event(ChangeOp.UPDATED, Relay.changed(alert, 2, Priority.CRITICAL, AlertStatus.RETRACTED,
                null, AlertChange.RETRACTED, null)));

        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 2);
        assertTrue(relay.telegramTexts(chat).get(1).startsWith("<b>Retracted:</b> River"),
                relay.telegramTexts(chat).get(1));
        // the escalation it cancelled never runs (3 s and 4 s after creation)
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> relay.telegramRequests(chat) == 2 && relay.pendingSteps(alert.id()) == 0);
    }

    @Test
    void aFollowUpInQuietHoursIsDroppedAndRecordedAsSkipped() {
        Relay.Pushed pushed = relay.pushedOverTelegram(Priority.HIGH);
        String user = pushed.user();
        String chat = pushed.chat();
        Alert alert = pushed.alert();
        // the user's quiet hours begin after the push
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        relay.updateUser(user, "quietHours", new Document("start", now.minusHours(1).toString())
                .append("end", now.plusHours(1).toString()).append("zone", "UTC").append("criticalOverride", true));

        relay.append(Relay.event(ChangeOp.UPDATED, Relay.changed(alert, 2, Priority.HIGH, AlertStatus.RESOLVED,
                null, AlertChange.RESOLVED, null)));

        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).stream()
                .anyMatch(r -> r.step().equals("follow-up:resolved")));
        DeliveryRecord record = relay.records(alert.id()).stream()
                .filter(r -> r.step().equals("follow-up:resolved")).findFirst().orElseThrow();
        assertEquals(DeliveryOutcome.SKIPPED, record.outcome());
        assertEquals("quiet_hours", record.detail());
        assertEquals(1, relay.telegramRequests(chat));
    }
}
