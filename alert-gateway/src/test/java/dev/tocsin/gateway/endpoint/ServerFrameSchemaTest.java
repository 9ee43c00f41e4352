package dev.tocsin.gateway.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.heartbeat.HeartbeatMonitor;
import dev.tocsin.gateway.heartbeat.HeartbeatSchedule;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.MessageTypes;
import dev.tocsin.protocol.schema.WebSocketSchemas;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine-readable contract over a real WebSocket: every server frame type the gateway can be made to send is
 * provoked, and each frame received is validated against {@code docs/schema/websocket/server-message.json} as raw
 * text, exactly as it arrived (the cursor appended per connection included), before anything else reads it.
 */
@QuarkusTest
@GatewayTest
class ServerFrameSchemaTest extends GatewayQuarkusTest {

    /** More than the bucket holds (tocsin.gateway.rate-limit.per-minute, 60), fewer refusals than a ban takes (10). */
    private static final int FLOOD = 66;

    @Inject
    HeartbeatMonitor heartbeat;

    private final WebSocketSchemas schemas = WebSocketSchemas.shared();
    /** Frames validated, by type. */
    private final Map<String, Integer> validated = new TreeMap<>();

    @Test
    void everyFrameTypeTheGatewaySendsMatchesItsSchemaAsItArrives() {
        answersAndErrors();
        alertsBatchesUpdatesAndAcks();
        aGapForEventsTheHistoryLost();
        theHeartbeatPing();
        aRateLimitWarning();
        syncRecoveredAndNot();
        theOfflineInbox();
        ackAndClearAnswers();

        Set<String> missing = new TreeSet<>(MessageTypes.all());
        missing.removeAll(validated.keySet());
        assertEquals(Set.of(), missing, () -> "server frame types never validated; validated: " + validated);
    }

    private void answersAndErrors() {
        try (TestClient client = open("sf-answers", "operator")) {
            client.send("{\"type\":\"ping\",\"id\":\"p1\"}");
            assertEquals("p1", read(client, "pong").path("ref").asText());
            client.send("{\"type\":\"subscribe\",\"id\":\"s1\",\"groups\":[\"everyone\"]}");
            assertEquals("s1", read(client, "subscription_response").path("ref").asText());
            client.send("{\"type\":\"update_filters\",\"id\":\"s2\",\"filters\":{\"priorities\":[\"critical\",\"high\"],"
                    + "\"types\":[\"outbreak_risk\"],\"regions\":[\"DE-BY\"],\"minRiskScore\":0.5,"
                    + "\"area\":{\"circle\":{\"lat\":48.1,\"lon\":11.5,\"radiusKm\":25}}}}");
            assertTrue(read(client, "subscription_response").path("filters").has("area"));
            client.send("{\"type\":\"update_filters\",\"id\":\"s3\",\"filters\":null}");
            assertFalse(read(client, "subscription_response").has("filters"));
            client.send("{\"type\":\"unsubscribe\",\"id\":\"s4\",\"groups\":[\"direct\"]}");
            read(client, "subscription_response");
            client.send("{\"type\":\"get_stats\",\"id\":\"st\"}");
            assertEquals("st", read(client, "connection_stats").path("ref").asText());
            client.send("{\"type\":\"no_such_type\",\"id\":\"e1\"}");
            assertEquals("unknown_type", read(client, "error").path("code").asText());
            client.send("{not json");
            assertEquals("malformed_json", read(client, "error").path("code").asText());
        }
    }

    private void alertsBatchesUpdatesAndAcks() {
        String user = "sf-events";
        Audience audience = Audience.of(List.of(user), List.of());
        try (TestClient client = open(user, "viewer")) {
            settle(client);
            Alert alert = Events.alert("sf-critical", audience);
            publish(Events.created(alert));
            assertTrue(read(client, "alert").has("cursor"), "a live frame carries the cursor");

            boolean batched = false;
            for (int round = 0; round < 5 && !batched; round++) {
                Set<String> waiting = new HashSet<>();
                for (int i = 0; i < 5; i++) {
                    waiting.add(publish(Events.created("sf-low-" + round + "-" + i, audience, Priority.LOW)).alertId());
                }
                while (!waiting.isEmpty()) {
                    JsonNode frame = read(client);
                    switch (frame.path("type").asText()) {
                        case "alert" -> waiting.remove(frame.path("alertId").asText());
                        case "alert_batch" -> {
                            batched = true;
                            assertTrue(frame.has("cursor"), frame::toString);
                            frame.path("alerts").forEach(entry -> waiting.remove(entry.path("alertId").asText()));
                        }
                        case "ping" -> { }
                        default -> throw new AssertionError("unexpected frame " + frame);
                    }
                }
            }
            assertTrue(batched, "five low alerts published at once were never batched");

            Instant ackAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            publish(Events.updated(Events.changed(alert, AlertStatus.ACTIVE, "sf-bob", ackAt, AlertChange.ACKNOWLEDGED)));
            assertTrue(read(client, "alert_ack").has("cursor"));
            publish(Events.updated(Events.changed(alert, AlertStatus.ACTIVE, "sf-bob", ackAt, AlertChange.UPDATED)));
            assertEquals("updated", read(client, "alert_update").path("status").asText());
            publish(Events.assigned(alert, dev.tocsin.protocol.alert.Assignee.user("sf-bob"), "sf-admin", 3));
            assertEquals("sf-bob", read(client, "alert_update").path("alert").path("assignee").path("id").asText());
            publish(Events.noted(alert, new dev.tocsin.protocol.alert.AlertNote("sf-note-1", "sf-bob", ackAt, "on it"), 1));
            assertTrue(read(client, "alert_note").has("cursor"));
            publish(Events.updated(Events.changed(alert, AlertStatus.CLEARED, "sf-bob", ackAt, AlertChange.CLEARED)));
            assertEquals("cleared", read(client, "alert_update").path("status").asText());
            publish(Events.updated(Events.changed(alert, AlertStatus.EXPIRED, "sf-bob", ackAt, AlertChange.EXPIRED)));
            assertEquals("expired", read(client, "alert_update").path("status").asText());
            publish(Events.deleted(alert.id()));
            JsonNode deleted = read(client, "alert_update");
            assertEquals("deleted", deleted.path("status").asText());
            assertTrue(deleted.has("cursor"));
        }
    }

    /** As DeliveryGuaranteesTest provokes it: an event pub/sub lost and the history no longer holds. */
    private void aGapForEventsTheHistoryLost() {
        String user = "sf-gap";
        Audience audience = Audience.of(List.of(user), List.of());
        try (TestClient client = open(user, "viewer")) {
            settle(client);
            publish(Events.created("sf-gap-1", audience));
            read(client, "alert");
            AlertEvent lost = appendToHistoryOnly(Events.created("sf-gap-2", audience));
            redis.execute("XDEL", RedisKeys.defaults().history(), lost.seq() + "-0");
            AlertEvent next = publish(Events.created("sf-gap-3", audience));
            JsonNode gap = read(client, "gap");
            assertEquals("history_trimmed", gap.path("reason").asText());
            assertTrue(gap.has("cursor") && gap.has("epoch"), gap::toString);
            assertEquals(next.seq(), read(client, "alert").path("seq").asLong());
        }
    }

    /**
     * The heartbeat's own round (the timer's interval is 30 s here): a ping to every open connection. A ping written
     * while the connection's hold on connect is still being released carries no cursor (as the protocol says of every
     * frame of the hold), so rounds are repeated for up to 20 s for the cursor to appear; it must appear.
     */
    private void theHeartbeatPing() {
        try (TestClient client = open("sf-ping", "viewer")) {
            settle(client);
            // the pipeline has a position only once it saw an event of the current epoch (other test classes share
            // this Redis and may have restarted it empty); an event for someone else moves the cursor all the same
            publish(Events.created("sf-ping-position", Audience.of(List.of("sf-someone-else"), List.of())));
            JsonNode ping = null;
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            while ((ping == null || !ping.has("cursor")) && System.nanoTime() < deadline) {
                for (int round = 0; round < HeartbeatSchedule.CHECKS_PER_INTERVAL; round++) {
                    heartbeat.tick(); // liveness rounds; one in CHECKS_PER_INTERVAL also pings
                }
                ping = read(client, "ping");
            }
            JsonNode last = ping;
            assertTrue(last.has("cursor"), () -> "a ping carries the connection's cursor: " + last);
        }
    }

    private void aRateLimitWarning() {
        try (TestClient client = open("sf-flood", "viewer")) {
            for (int i = 0; i < FLOOD; i++) {
                client.send("{\"type\":\"ping\",\"id\":\"f" + i + "\"}");
            }
            int warnings = 0;
            for (int answered = 0; answered < FLOOD; ) {
                switch (read(client).path("type").asText()) {
                    case "pong" -> answered++;
                    case "rate_limit_warning" -> {
                        answered++;
                        warnings++;
                    }
                    case "ping" -> { }
                    default -> throw new AssertionError("unexpected frame");
                }
            }
            assertTrue(warnings >= 1, "no message of " + FLOOD + " was refused");
            assertTrue(client.isOpen(), "not banned");
        }
    }

    /** A client resumes from the cursor of its last frame and gets what it missed; a sync from another epoch cannot. */
    private void syncRecoveredAndNot() {
        String user = "sf-sync";
        Audience audience = Audience.of(List.of(user), List.of());
        JsonNode last;
        try (TestClient first = open(user, "viewer")) {
            settle(first);
            publish(Events.created("sf-sync-1", audience));
            last = read(first, "alert");
            assertTrue(last.has("cursor"), last::toString);
        }
        AlertEvent missed = publish(Events.created("sf-sync-2", audience));
        try (TestClient again = TestClient.connect(wsUri(), DevJwt.shared().token(user, "viewer"))) {
            again.send(Json.encode(Map.of("type", "sync", "id", "y1", "since", last.path("cursor").asText(),
                    "epoch", last.path("epoch").asText())));
            read(again, "connection_established");
            assertEquals(missed.seq(), read(again, "alert").path("seq").asLong());
            JsonNode recovered = read(again, "sync_response");
            assertTrue(recovered.path("recovered").asBoolean(), recovered::toString);
            assertTrue(recovered.has("cursor"), recovered::toString);
            again.send("{\"type\":\"sync\",\"id\":\"y2\",\"since\":5,\"epoch\":\"not-this-epoch\"}");
            JsonNode notRecovered = read(again, "sync_response");
            assertEquals("epoch_changed", notRecovered.path("reason").asText(), notRecovered::toString);
        }
    }

    /** As notification-relay leaves it (see InboxTest): an alert kept for the offline user, and some dropped. */
    private void theOfflineInbox() {
        String user = "sf-inbox";
        String key = "tocsin:inbox:" + user;
        AlertEvent kept = new AlertEvent("relay-epoch", 7, ChangeOp.CREATED, "sf-inbox-1",
                Events.alert("sf-inbox-1", Audience.of(List.of(user), List.of()), Priority.HIGH), "sf-inbox-change-1",
                Instant.now());
        redis.list(String.class).rpush(key, "n|" + Events.json(kept));
        redis.value(String.class).set(key + ":dropped", "2");
        try (TestClient client = open(user, "viewer")) {
            JsonNode alert = read(client, "alert");
            assertEquals("sf-inbox-1", alert.path("alertId").asText());
            assertFalse(alert.has("cursor"), "frames from the inbox carry no cursor");
            JsonNode inbox = read(client, "inbox");
            assertEquals(2, inbox.path("dropped").asLong());
        }
    }

    /**
     * ack and clear, forwarded to the stand-in for alert-ingest, which accepts both. The answers ack_result and
     * clear_result are not sent by this gateway yet: whatever arrives before a ping sent once ingest's answers were
     * handled is read (and validated); when an answer is among it, it must carry its request's ref.
     */
    private void ackAndClearAnswers() {
        try (TestClient client = open("sf-actions", "operator")) {
            client.send("{\"type\":\"ack\",\"id\":\"sf-a\",\"alertId\":\"known-sf\"}");
            client.send("{\"type\":\"clear\",\"id\":\"sf-c\",\"priorities\":[\"low\"]}");
            client.send("{\"type\":\"assign\",\"id\":\"sf-as\",\"alertId\":\"known-sf\",\"user\":\"sf-bob\"}");
            client.send("{\"type\":\"note\",\"id\":\"sf-n\",\"alertId\":\"known-sf\",\"text\":\"noted\"}");
            // Each comes back from its own call to alert-ingest: in any order.
            Map<String, String> refs = new TreeMap<>();
            while (refs.size() < 4) {
                JsonNode frame = read(client);
                String type = frame.path("type").asText();
                if (!"ping".equals(type)) {
                    assertTrue(Set.of("ack_result", "clear_result", "action_result", "note_result").contains(type),
                            frame::toString);
                    refs.put(type, frame.path("ref").asText());
                }
            }
            assertEquals(Map.of("ack_result", "sf-a", "clear_result", "sf-c", "action_result", "sf-as",
                    "note_result", "sf-n"), refs);
        }
    }

    /** A client with a fresh token, its greeting read (and validated). */
    private TestClient open(String user, String... groups) {
        awaitSubscribed();
        TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token(user, groups));
        read(client, "connection_established");
        return client;
    }

    /** A first message ends the hold on connect: from here on, frames carry the connection's cursor. */
    private void settle(TestClient client) {
        client.send("{\"type\":\"ping\",\"id\":\"settle\"}");
        assertEquals("settle", read(client, "pong").path("ref").asText());
    }

    /** The next frame, validated against server-message.json exactly as it arrived, then parsed. */
    private JsonNode read(TestClient client) {
        String text = client.nextText();
        schemas.assertServerFrame(text);
        JsonNode frame = Json.tree(text);
        validated.merge(frame.path("type").asText(), 1, Integer::sum);
        return frame;
    }

    /** The next frame of {@code type}; server heartbeats on the way are validated and passed over. */
    private JsonNode read(TestClient client, String type) {
        JsonNode frame = read(client);
        while (!type.equals("ping") && "ping".equals(frame.path("type").asText())) {
            frame = read(client);
        }
        JsonNode found = frame;
        assertEquals(type, found.path("type").asText(), () -> "unexpected frame " + found);
        return found;
    }
}
