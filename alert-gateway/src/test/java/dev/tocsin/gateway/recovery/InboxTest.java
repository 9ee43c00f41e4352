package dev.tocsin.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The offline inbox as notification-relay writes it (the data contract): {@code tocsin:inbox:{user}} holds AlertEvent
 * JSON, optionally prefixed {@code c|}/{@code n|}, newest last; {@code tocsin:inbox:{user}:dropped} counts overflow.
 */
@QuarkusTest
@GatewayTest
class InboxTest extends GatewayQuarkusTest {

    private static AlertEvent offline(String id, Audience audience, Priority priority, long seq) {
        return new AlertEvent("relay-epoch", seq, ChangeOp.CREATED, id, Events.alert(id, audience, priority),
                "inbox-change-" + id, Instant.now());
    }

    @Test
    void theInboxIsDeliveredBeforeLiveFramesThenRemoved() {
        String user = "ib-carol";
        String key = "tocsin:inbox:" + user;
        AlertEvent critical = offline("ib-1", Audience.EVERYONE, Priority.CRITICAL, 7);
        AlertEvent low = offline("ib-2", Audience.of(List.of(user), List.of()), Priority.LOW, 8);
        AlertEvent foreign = offline("ib-3", Audience.of(List.of("someone-else"), List.of()), Priority.HIGH, 9);
        redis.list(String.class).rpush(key, "c|" + Events.json(critical), "n|" + Events.json(low),
                Events.json(foreign));
        redis.value(String.class).set(key + ":dropped", "3");

        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token(user, "viewer"))) {
            client.established();
            // published after the connection opened: it must come after the inbox
            AlertEvent live = publish(Events.created("ib-live", Audience.EVERYONE));

            assertEquals("ib-1", client.next("alert").path("alertId").asText());
            JsonNode second = client.next("alert");
            assertEquals("ib-2", second.path("alertId").asText());
            assertEquals(8, second.path("seq").asLong());
            JsonNode notice = client.next("inbox");
            assertEquals(2, notice.path("delivered").asLong());
            assertEquals(3, notice.path("dropped").asLong());
            assertEquals(live.seq(), client.next("alert").path("seq").asLong());

            await().atMost(Duration.ofSeconds(10)).until(() -> redis.list(String.class).llen(key) == 0
                    && redis.value(String.class).get(key + ":dropped") == null);
        }
        // the next connection finds nothing left
        try (TestClient again = connected(user, "viewer")) {
            again.assertPingPong("empty-inbox");
        }
    }

    @Test
    void anEntryTheRelayWithdrewIsSkippedAndRemovedWithTheRest() {
        String user = "ib-dora";
        String key = "tocsin:inbox:" + user;
        AlertEvent kept = offline("ib-w2", Audience.of(List.of(user), List.of()), Priority.HIGH, 12);
        // the relay replaced a retracted alert's entry in place by a tombstone (docs/notification-relay.md)
        redis.list(String.class).rpush(key, "x|ib-w1", "n|" + Events.json(kept));

        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token(user, "viewer"))) {
            client.established();
            AlertEvent live = publish(Events.created("ib-w-live", Audience.EVERYONE));
            assertEquals("ib-w2", client.next("alert").path("alertId").asText());
            assertEquals(live.seq(), client.next("alert").path("seq").asLong());
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.list(String.class).llen(key) == 0);
        }
    }

    @Test
    void anEntryTheRelayKeptCurrentArrivesAsTheAlertAsItIsNow() {
        String user = "ib-erin";
        String key = "tocsin:inbox:" + user;
        // the relay replaced the created event by the alert's latest change (an acknowledgment at version 3)
        AlertEvent created = offline("ib-u1", Audience.of(List.of(user), List.of()), Priority.HIGH, 20);
        AlertEvent acked = new AlertEvent("relay-epoch", 23, ChangeOp.UPDATED, "ib-u1",
                Events.versioned(Events.changed(created.alert(), dev.tocsin.protocol.alert.AlertStatus.ACTIVE, "bob",
                        Instant.parse("2026-12-04T10:00:00Z"), dev.tocsin.protocol.alert.AlertChange.ACKNOWLEDGED), 3),
                "inbox-change-ib-u1-3", Instant.now());
        redis.list(String.class).rpush(key, "n|" + Events.json(acked));

        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token(user, "viewer"))) {
            client.established();
            JsonNode alert = client.next("alert");
            assertEquals("ib-u1", alert.path("alertId").asText());
            assertEquals("updated", alert.path("op").asText());
            assertEquals(3, alert.path("version").asLong());
            assertEquals("bob", alert.path("alert").path("acknowledgedBy").asText());
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.list(String.class).llen(key) == 0);
        }
    }

    @Test
    void anEmptyInboxChangesNothing() {
        try (TestClient client = connected("ib-empty", "viewer")) {
            AlertEvent live = publish(Events.created("ib-empty-live", Audience.EVERYONE));
            assertEquals(live.seq(), client.next("alert").path("seq").asLong());
        }
    }
}
