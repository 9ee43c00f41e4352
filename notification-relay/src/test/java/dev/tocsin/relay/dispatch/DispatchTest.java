package dev.tocsin.relay.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.protocol.user.QuietHours;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@RelayTest
class DispatchTest extends RelayTestBase {

    @Test
    void anOfflineUserGetsExactlyOnePushPerChannelAndDevice() {
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        String phone = Relay.unique("tok-phone");
        String tablet = Relay.unique("tok-tablet");
        relay.user(user, chat, List.of(phone, tablet));
        relay.offlineButStale(user); // an expired session does not count as online
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).size() == 3);
        assertEquals(1, relay.telegramSent(chat));
        assertEquals(1, relay.fcmSent(phone));
        assertEquals(1, relay.fcmSent(tablet));
        for (DeliveryRecord record : relay.records(alert.id())) {
            assertEquals(DeliveryOutcome.DELIVERED, record.outcome(), record.toString());
            assertEquals("offline", record.step());
            assertEquals(user, record.user());
            assertEquals(1, record.attempts());
        }
        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(alert.id()) == 0);

        JsonNode message = relay.pushRequests().stream()
                .filter(r -> r.path("chat").asText().equals(chat)).findFirst().orElseThrow();
        assertEquals("HTML", message.path("parseMode").asText());
        String text = message.path("text").asText();
        assertTrue(text.startsWith("<b>[HIGH] River &lt;b&gt;level&lt;/b&gt; &amp; rising</b>"), text);
        assertTrue(text.contains("<a href=\"https://tocsin.test/alerts/" + alert.id() + "\">"), text);
    }

    @Test
    void anOnlineUserGetsNoPushAndTheSkipIsRecorded() {
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        String token = Relay.unique("tok");
        relay.user(user, chat, List.of(token));
        relay.online(user);
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).size() == 2);
        for (DeliveryRecord record : relay.records(alert.id())) {
            assertEquals(DeliveryOutcome.SKIPPED, record.outcome());
            assertEquals("online", record.detail());
        }
        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(alert.id()) == 0);
        assertEquals(0, relay.telegramRequests(chat));
        assertEquals(0, relay.fcmRequests(token));
    }

    @Test
    void groupAudienceReachesItsMembersOnly() {
        String group = Relay.unique("ops");
        String member = Relay.unique("u");
        String outsider = Relay.unique("u");
        String memberChat = Relay.unique("chat");
        String outsiderChat = Relay.unique("chat");
        relay.user(member, memberChat, List.of(), null, null, Set.of(group, "other"));
        relay.user(outsider, outsiderChat, List.of(), null, null, Set.of("other"));
        Alert alert = Relay.alert(Priority.CRITICAL, Audience.of(List.of(), List.of(group)), null);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(memberChat) == 1);
        assertEquals(0, relay.telegramRequests(outsiderChat));
    }

    @Test
    void quietHoursHoldBackPushesUnlessCriticalWithOverride() {
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        QuietHours overridable = new QuietHours(now.minusHours(1), now.plusHours(1), "UTC", true);
        QuietHours strict = new QuietHours(now.minusHours(1), now.plusHours(1), "UTC", false);
        String sleeper = Relay.unique("u");
        String sleeperChat = Relay.unique("chat");
        String deepSleeper = Relay.unique("u");
        String deepSleeperChat = Relay.unique("chat");
        relay.user(sleeper, sleeperChat, List.of(), null, overridable, Set.of());
        relay.user(deepSleeper, deepSleeperChat, List.of(), null, strict, Set.of());
        Audience both = Audience.of(List.of(sleeper, deepSleeper), List.of());

        Alert high = Relay.alert(Priority.HIGH, both, null);
        relay.created(high);
        await().atMost(Relay.DEADLINE).until(() -> relay.records(high.id()).size() == 2);
        assertTrue(relay.records(high.id()).stream().allMatch(r -> r.outcome() == DeliveryOutcome.SKIPPED
                && r.detail().equals("quiet_hours")), relay.records(high.id()).toString());

        Alert critical = Relay.alert(Priority.CRITICAL, both, null);
        relay.created(critical);
        await().atMost(Relay.DEADLINE).until(() -> relay.records(critical.id()).stream()
                .filter(r -> r.step().equals("offline")).count() == 2);
        DeliveryRecord through = relay.records(critical.id()).stream()
                .filter(r -> r.user().equals(sleeper) && r.step().equals("offline")).findFirst().orElseThrow();
        assertEquals(DeliveryOutcome.DELIVERED, through.outcome(), "critical override lets the critical alert through");
        DeliveryRecord held = relay.records(critical.id()).stream()
                .filter(r -> r.user().equals(deepSleeper) && r.step().equals("offline")).findFirst().orElseThrow();
        assertEquals(DeliveryOutcome.SKIPPED, held.outcome());
        assertEquals("quiet_hours", held.detail());
        assertEquals(0, relay.telegramRequests(deepSleeperChat));
    }

    @Test
    void alertsBelowTheUsersMinimumPriorityAreSkipped() {
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        relay.user(user, chat, List.of(), Priority.CRITICAL, null, Set.of());
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).size() == 1);
        DeliveryRecord record = relay.records(alert.id()).get(0);
        assertEquals(DeliveryOutcome.SKIPPED, record.outcome());
        assertEquals("below_min_priority", record.detail());
        assertEquals(DeliveryChannel.TELEGRAM, record.channel());
    }

    @Test
    void theSameEventTwiceOnTheStreamWithTwoConsumersPushesOnce() {
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        String token = Relay.unique("tok");
        relay.user(user, chat, List.of(token));
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null);
        String event = Relay.event(dev.tocsin.protocol.event.ChangeOp.CREATED, alert);
        double received = Relay.metric("tocsin_relay_events_received_total", java.util.Map.of("op", "created"));

        relay.append(event);
        relay.append(event);

        // both entries consumed and acknowledged, the plan run to the end...
        await().atMost(Relay.DEADLINE).until(() -> Relay.metric("tocsin_relay_events_received_total",
                java.util.Map.of("op", "created")) >= received + 2 && relay.groupPending() == 0);
        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).size() >= 2
                && relay.pendingSteps(alert.id()) == 0);
        // ...and still one push per channel
        assertEquals(1, relay.telegramRequests(chat));
        assertEquals(1, relay.fcmRequests(token));
        assertEquals(2, relay.records(alert.id()).size());
    }

    @Test
    void anEntryAbandonedByADeadReplicaIsTakenOver() {
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        relay.user(user, chat, List.of());
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null);
        String dead = Relay.unique("dead-replica");

        // append and read as another consumer in one step, so no live consumer can get it first; never acknowledged
        redis.execute("EVAL", """
                redis.call('XADD', KEYS[1], '*', 'seq', '1', 'event', ARGV[1])
                return redis.call('XREADGROUP', 'GROUP', 'relay', ARGV[2], 'COUNT', '100', 'STREAMS', KEYS[1], '>')
                """, "1", Relay.KEYS.relayStream(), Relay.event(dev.tocsin.protocol.event.ChangeOp.CREATED, alert), dead);

        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 1);
        await().atMost(Relay.DEADLINE).until(() -> relay.groupPending() == 0);
    }
}
