package dev.tocsin.relay.inbox;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTestBase;
import dev.tocsin.relay.support.RelayTest;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline inbox ({@code tocsin:inbox:<user>}, entries {@code c|<event>} / {@code n|<event>}) as the gateway will
 * read it, written by the first delivery step for recipients without a live session. Defaults: 100 entries, 24 h.
 */
@QuarkusTest
@RelayTest
class OfflineInboxTest extends RelayTestBase {

    static final int MAX = 100;
    static final Duration TTL = Duration.ofHours(24);

    @Test
    void anOfflineRecipientGetsTheCreatedEventOnceEvenWhenItIsDeliveredAndRunAgain() {
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        String listed = Relay.unique("nodoc"); // named in the audience, no contact channels at all
        relay.user(user, chat, List.of());
        relay.offlineButStale(user);
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(user, listed), List.of()), null);
        String event = Relay.event(ChangeOp.CREATED, alert);
        double received = Relay.metric("tocsin_relay_events_received_total", Map.of("op", "created"));
        double appends = Relay.metric("tocsin_relay_inbox_appends_total", Map.of());

        relay.append(event);
        relay.append(event); // the same event again (ingest's at-least-once publish), possibly to the other consumer

        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).size() == 1 && relay.inbox(listed).size() == 1);
        await().atMost(Relay.DEADLINE).until(() -> Relay.metric("tocsin_relay_events_received_total",
                Map.of("op", "created")) >= received + 2 && relay.groupPending() == 0
                && relay.pendingSteps(alert.id()) == 0);
        // the entry is the created event exactly as published, behind the non-critical marker
        assertEquals(List.of("n|" + event), relay.inbox(user));
        assertEquals(List.of("n|" + event), relay.inbox(listed));
        AlertEvent stored = Json.decode(relay.inbox(user).get(0).substring(2), AlertEvent.class);
        assertEquals(alert.id(), stored.alertId());
        assertEquals(Json.decode(event, AlertEvent.class).seq(), stored.seq());
        assertEquals(1, relay.telegramSent(chat));
        // the kept copy of the created event is gone once the first step is done
        assertNull(redis.execute("GET", "tocsin:relay:alert:" + alert.id() + ":event"));

        // the first step runs again (as after a replica died holding its lease): no second entry, no second push
        redis.execute("ZADD", "tocsin:relay:due", Long.toString(System.currentTimeMillis()), alert.id() + "|0|offline");
        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(alert.id()) == 0);
        // and the event arrives once more, long after the first
        relay.append(event);
        await().atMost(Relay.DEADLINE).until(() -> Relay.metric("tocsin_relay_events_received_total",
                Map.of("op", "created")) >= received + 3 && relay.groupPending() == 0);

        assertEquals(List.of("n|" + event), relay.inbox(user));
        assertEquals(List.of("n|" + event), relay.inbox(listed));
        assertEquals(1, relay.telegramRequests(chat));
        assertTrue(Relay.metric("tocsin_relay_inbox_appends_total", Map.of()) >= appends + 2);
    }

    @Test
    void anOnlineRecipientGetsNoEntry() {
        String online = Relay.unique("u");
        String onlineChat = Relay.unique("chat");
        String offline = Relay.unique("u");
        String offlineChat = Relay.unique("chat");
        relay.user(online, onlineChat, List.of());
        relay.user(offline, offlineChat, List.of());
        relay.online(online);
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(online, offline), List.of()), null);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).size() == 2
                && relay.pendingSteps(alert.id()) == 0);
        assertEquals(DeliveryOutcome.SKIPPED, relay.records(alert.id()).stream()
                .filter(r -> r.user().equals(online)).findFirst().orElseThrow().outcome());
        assertEquals(1, relay.inbox(offline).size());
        assertEquals(0L, redis.execute("EXISTS", Relay.inboxKey(online)).toLong());
        assertEquals(0L, redis.execute("EXISTS", Relay.inboxKey(online) + ":dropped").toLong());
    }

    @Test
    void aGroupMemberWithContactChannelsGetsAnEntryAndCriticalEntriesAreMarked() {
        String group = Relay.unique("ops");
        String member = Relay.unique("u");
        relay.user(member, null, List.of(), null, null, java.util.Set.of(group));
        Alert alert = Relay.alert(Priority.CRITICAL, Audience.of(List.of(), List.of(group)), null);
        String event = Relay.event(ChangeOp.CREATED, alert);

        relay.append(event);

        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(member).size() == 1);
        assertEquals("c|" + event, relay.inbox(member).get(0));
    }

    @Test
    void aFullInboxDropsItsOldestNonCriticalEntryAndCountsIt() {
        String user = Relay.unique("nodoc");
        List<String> filler = new ArrayList<>();
        filler.add("c|critical-0");
        for (int i = 1; i < MAX; i++) {
            filler.add("n|normal-" + i);
        }
        fill(user, filler);
        double dropped = Relay.metric("tocsin_relay_inbox_dropped_total", Map.of());
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null);
        String event = Relay.event(ChangeOp.CREATED, alert);

        relay.append(event);

        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).contains("n|" + event));
        List<String> inbox = relay.inbox(user);
        assertEquals(MAX, inbox.size());
        assertEquals("c|critical-0", inbox.get(0), "the critical entry stays although it is the oldest");
        assertEquals("n|normal-2", inbox.get(1), "the oldest non-critical entry went");
        assertEquals("n|" + event, inbox.get(MAX - 1));
        assertEquals(1, relay.inboxDropped(user));
        assertTrue(relay.pttl(Relay.inboxKey(user) + ":dropped") > TTL.minusMinutes(5).toMillis());
        assertEquals(dropped + 1, Relay.metric("tocsin_relay_inbox_dropped_total", Map.of()));
    }

    @Test
    void aFullInboxOfCriticalEntriesDropsTheOldestAndNeverACriticalForANonCritical() {
        String user = Relay.unique("nodoc");
        List<String> filler = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            filler.add("c|critical-" + i);
        }
        fill(user, filler);
        double dropped = Relay.metric("tocsin_relay_inbox_dropped_total", Map.of());

        Alert critical = Relay.alert(Priority.CRITICAL, Audience.of(List.of(user), List.of()), null);
        String criticalEvent = Relay.event(ChangeOp.CREATED, critical);
        relay.append(criticalEvent);

        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).contains("c|" + criticalEvent));
        List<String> inbox = relay.inbox(user);
        assertEquals(MAX, inbox.size());
        assertEquals("c|critical-1", inbox.get(0), "all critical: the oldest went");
        assertEquals("c|" + criticalEvent, inbox.get(MAX - 1));
        assertEquals(1, relay.inboxDropped(user));

        // a non-critical alert into an inbox full of critical ones is itself the oldest non-critical entry
        Alert low = Relay.alert(Priority.LOW, Audience.of(List.of(user), List.of()), null);
        relay.created(low);

        await().atMost(Relay.DEADLINE).until(() -> relay.inboxDropped(user) == 2);
        inbox = relay.inbox(user);
        assertEquals(MAX, inbox.size());
        assertEquals("c|critical-1", inbox.get(0));
        assertFalse(inbox.stream().anyMatch(e -> e.startsWith("n|")), "no critical entry made way for it");
        assertEquals(dropped + 2, Relay.metric("tocsin_relay_inbox_dropped_total", Map.of()));
    }

    @Test
    void theInboxLivesForTheTtlAndEveryAppendRenewsIt() {
        String user = Relay.unique("nodoc");
        fill(user, List.of("n|older"));
        redis.execute("SET", Relay.inboxKey(user) + ":dropped", "3");
        redis.execute("PEXPIRE", Relay.inboxKey(user), "60000");
        redis.execute("PEXPIRE", Relay.inboxKey(user) + ":dropped", "60000");
        Alert alert = Relay.alert(Priority.MEDIUM, Audience.of(List.of(user), List.of()), null);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.inbox(user).size() == 2);
        long inboxTtl = relay.pttl(Relay.inboxKey(user));
        long counterTtl = relay.pttl(Relay.inboxKey(user) + ":dropped");
        assertTrue(inboxTtl > TTL.minusMinutes(5).toMillis() && inboxTtl <= TTL.toMillis(), "inbox PTTL " + inboxTtl);
        assertTrue(counterTtl > TTL.minusMinutes(5).toMillis() && counterTtl <= TTL.toMillis(),
                "counter PTTL " + counterTtl);
        assertEquals(3, relay.inboxDropped(user), "nothing dropped: the counter is only renewed");
    }

    private void fill(String user, List<String> entries) {
        List<String> args = new ArrayList<>();
        args.add(Relay.inboxKey(user));
        args.addAll(entries);
        redis.execute("RPUSH", args.toArray(String[]::new));
    }
}
