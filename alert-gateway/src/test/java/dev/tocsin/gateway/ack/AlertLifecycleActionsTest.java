package dev.tocsin.gateway.ack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.FakeIngestLog;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * resolve, unack, assign and note over the WebSocket: forwarded to alert-ingest (a real HTTP server standing in for
 * it) with the user's own token, answered with {@code action_result}/{@code note_result} or an {@code error} with a
 * stable code, never closing the connection; and the broadcasts the resulting change events become
 * ({@code alert_update}, {@code alert_note}) reach every connection that sees the alert and no other.
 */
@QuarkusTest
@GatewayTest
class AlertLifecycleActionsTest extends GatewayQuarkusTest {

    @ConfigProperty(name = "tocsin.gateway.ingest-url")
    String ingestUrl;

    @Test
    void eachActionIsForwardedWithTheUsersTokenAndAnsweredByRef() throws Exception {
        String token = DevJwt.shared().token("lc-olga", "operator");
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            client.established();
            JsonNode resolved = client.request(
                    "{\"type\":\"resolve\",\"id\":\"r1\",\"alertId\":\"known-lc-1\",\"note\":\"pump fixed\"}");
            assertActionResult(resolved, "r1", "resolve", "known-lc-1");
            assertEquals("resolved", resolved.path("alert").path("status").asText());
            assertEquals("lc-olga", resolved.path("alert").path("resolvedBy").asText());
            JsonNode request = awaitRequest("/api/v1/alerts/known-lc-1/resolve", "Bearer " + token);
            assertEquals("POST", request.path("method").asText());
            assertEquals("pump fixed", Json.tree(request.path("body").asText()).path("note").asText());

            assertActionResult(client.request("{\"type\":\"unack\",\"id\":\"u1\",\"alertId\":\"known-lc-2\"}"), "u1",
                    "unack", "known-lc-2");
            assertEquals("DELETE", awaitRequest("/api/v1/alerts/known-lc-2/ack", "Bearer " + token)
                    .path("method").asText());

            JsonNode assigned = client.request(
                    "{\"type\":\"assign\",\"id\":\"a1\",\"alertId\":\"known-lc-3\",\"group\":\"oncall-eu\"}");
            assertActionResult(assigned, "a1", "assign", "known-lc-3");
            assertEquals("group", assigned.path("alert").path("assignee").path("kind").asText());
            assertEquals("oncall-eu", assigned.path("alert").path("assignee").path("id").asText());
            assertEquals("{\"group\":\"oncall-eu\"}", awaitRequest("/api/v1/alerts/known-lc-3/assign",
                    "Bearer " + token).path("body").asText());
            // neither user nor group takes the assignment back
            assertActionResult(client.request("{\"type\":\"assign\",\"id\":\"a2\",\"alertId\":\"known-lc-4\"}"),
                    "a2", "assign", "known-lc-4");
            assertEquals("DELETE", awaitRequest("/api/v1/alerts/known-lc-4/assignee", "Bearer " + token)
                    .path("method").asText());

            JsonNode noted = client.request(
                    "{\"type\":\"note\",\"id\":\"n1\",\"alertId\":\"known-lc-5\",\"text\":\"on my way\"}");
            assertEquals("note_result", noted.path("type").asText(), noted::toString);
            assertEquals("n1", noted.path("ref").asText());
            assertEquals("known-lc-5", noted.path("alertId").asText());
            assertEquals("on my way", noted.path("note").path("text").asText());
            assertEquals("lc-olga", noted.path("note").path("author").asText());
            assertEquals("on my way", Json.tree(awaitRequest("/api/v1/alerts/known-lc-5/notes", "Bearer " + token)
                    .path("body").asText()).path("text").asText());
        }
    }

    @Test
    void rolesAndFieldsAreCheckedWithoutACall() throws Exception {
        String token = DevJwt.shared().token("lc-vic", "viewer");
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            client.established();
            assertError(client.request("{\"type\":\"resolve\",\"id\":\"f1\",\"alertId\":\"known-lc-v\"}"),
                    "forbidden", "f1");
            assertError(client.request("{\"type\":\"assign\",\"id\":\"f2\",\"alertId\":\"known-lc-v\",\"user\":\"x\"}"),
                    "forbidden", "f2");
            assertError(client.request("{\"type\":\"assign\",\"id\":\"b1\",\"alertId\":\"known-lc-v\",\"user\":\"x\","
                    + "\"group\":\"y\"}"), "invalid_message", "b1");
            assertError(client.request("{\"type\":\"assign\",\"id\":\"b2\",\"alertId\":\"known-lc-v\",\"user\":\" \"}"),
                    "invalid_message", "b2");
            assertError(client.request("{\"type\":\"note\",\"id\":\"b3\",\"alertId\":\"known-lc-v\",\"text\":\"  \"}"),
                    "invalid_message", "b3");
            assertError(client.request("{\"type\":\"note\",\"id\":\"b4\",\"alertId\":\"../x\",\"text\":\"t\"}"),
                    "invalid_message", "b4");
            assertError(client.request("{\"type\":\"unack\",\"id\":\"b5\"}"), "invalid_message", "b5");
            // a viewer may unack and note: those reach ingest
            assertEquals("action_result", client.request(
                    "{\"type\":\"unack\",\"id\":\"ok1\",\"alertId\":\"known-lc-v\"}").path("type").asText());
            assertEquals("note_result", client.request(
                    "{\"type\":\"note\",\"id\":\"ok2\",\"alertId\":\"known-lc-v\",\"text\":\"t\"}").path("type").asText());
            List<String> calls = new ArrayList<>();
            for (JsonNode entry : log()) {
                if (entry.path("authorization").asText().equals("Bearer " + token)) {
                    calls.add(entry.path("method").asText() + " " + entry.path("path").asText());
                }
            }
            assertEquals(List.of("DELETE /api/v1/alerts/known-lc-v/ack", "POST /api/v1/alerts/known-lc-v/notes"),
                    calls);
            client.assertPingPong("still-open");
        }
    }

    @Test
    void ingestAnswersBecomeStableErrorCodes() {
        try (TestClient client = connected("lc-paul", "admin")) {
            assertError(client.request("{\"type\":\"assign\",\"id\":\"c\",\"alertId\":\"closed-1\",\"user\":\"x\"}"),
                    "conflict", "c");
            assertError(client.request("{\"type\":\"note\",\"id\":\"m\",\"alertId\":\"missing-1\",\"text\":\"t\"}"),
                    "unknown_alert", "m");
            assertError(client.request("{\"type\":\"note\",\"id\":\"i\",\"alertId\":\"invalid-1\",\"text\":\"t\"}"),
                    "invalid_message", "i");
            assertError(client.request("{\"type\":\"resolve\",\"id\":\"d\",\"alertId\":\"denied-1\"}"), "forbidden",
                    "d");
            assertError(client.request("{\"type\":\"unack\",\"id\":\"b\",\"alertId\":\"broken-1\"}"), "unavailable",
                    "b");
            client.assertPingPong("after-errors");
        }
    }

    @Test
    void noteAndAssignmentReachEveryConnectionThatSeesTheAlertAndNoOther() {
        try (TestClient bob = connected("lc-bob", "viewer");
             TestClient team = connected("lc-carl", "viewer", "lc-team");
             TestClient outsider = connected("lc-dora", "viewer")) {
            AlertEvent created = publish(Events.created("lc-routed-1",
                    Audience.of(List.of("lc-bob"), List.of("lc-team"))));
            assertEquals(created.seq(), bob.next("alert").path("seq").asLong());
            assertEquals(created.seq(), team.next("alert").path("seq").asLong());

            AlertNote note = new AlertNote("65f0c0ffee0000000000c001", "lc-bob",
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), "seen on site");
            AlertEvent noted = publish(Events.noted(created.alert(), note, 1));
            for (TestClient entitled : List.of(bob, team)) {
                JsonNode frame = entitled.next("alert_note");
                assertEquals(noted.seq(), frame.path("seq").asLong());
                assertEquals("lc-routed-1", frame.path("alertId").asText());
                assertEquals(note.id(), frame.path("note").path("id").asText());
                assertEquals("seen on site", frame.path("note").path("text").asText());
                assertEquals("lc-bob", frame.path("note").path("author").asText());
                assertEquals(note.at(), Instant.parse(frame.path("note").path("at").asText()));
                assertEquals(1, frame.path("noteCount").asInt());
                assertTrue(frame.has("cursor"), frame::toString);
                assertFalse(frame.has("alert"), "the note travels without the alert: " + frame);
            }
            AlertEvent assigned = publish(Events.assigned(created.alert(), Assignee.group("lc-team"), "lc-admin", 2));
            for (TestClient entitled : List.of(bob, team)) {
                JsonNode frame = entitled.next("alert_update");
                assertEquals(assigned.seq(), frame.path("seq").asLong());
                assertEquals("updated", frame.path("status").asText());
                assertEquals(2, frame.path("version").asLong());
                assertEquals("lc-team", frame.path("alert").path("assignee").path("id").asText());
                assertEquals("assigned", frame.path("alert").path("lastChange").asText());
            }
            // The outsider's next frame is the marker published after both: neither change reached it.
            AlertEvent marker = publish(Events.created("lc-marker-1", Audience.of(List.of("lc-dora"), List.of())));
            JsonNode next = outsider.next("alert");
            assertEquals(marker.seq(), next.path("seq").asLong(), next::toString);
        }
    }

    private JsonNode awaitRequest(String path, String authorization) {
        return new FakeIngestLog(ingestUrl).awaitRequest(path, authorization);
    }

    private JsonNode log() throws Exception {
        return new FakeIngestLog(ingestUrl).entries();
    }

    private static void assertActionResult(JsonNode frame, String ref, String action, String alertId) {
        assertEquals("action_result", frame.path("type").asText(), frame::toString);
        assertEquals(ref, frame.path("ref").asText());
        assertEquals(action, frame.path("action").asText());
        assertEquals(alertId, frame.path("alertId").asText());
        assertEquals(3, frame.path("version").asLong(), frame::toString);
        assertEquals(alertId, frame.path("alert").path("id").asText());
    }

    private static void assertError(JsonNode frame, String code, String ref) {
        assertEquals("error", frame.path("type").asText(), frame::toString);
        assertEquals(code, frame.path("code").asText(), frame::toString);
        assertEquals(ref, frame.path("ref").asText());
    }
}
