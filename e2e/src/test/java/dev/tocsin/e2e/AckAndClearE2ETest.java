package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acknowledgments and clears through the real services: a WebSocket {@code ack} is handed to alert-ingest with
 * the user's own token, recorded once, answered with {@code ack_result}, and every connection that sees the alert gets
 * {@code alert_ack}; a clear is answered with {@code clear_result}; private alerts stay private all the way.
 */
class AckAndClearE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("ack");

    @Test
    void anAckReachesEveryoneWhoSeesTheAlertOnceAndAClearNeedsAnOperator() throws Exception {
        try (WsClient alice = connect("alice", "viewer");
             WsClient bob = connect("bob", "viewer");
             WsClient carol = connect("carol", "operator")) {
            String shared = post("critical", "{\"everyone\":true}");
            String forAlice = post("critical", "{\"users\":[\"alice\"]}");
            for (WsClient client : List.of(alice, bob, carol)) {
                client.awaitFirst(f -> isAlert(f, shared), WAIT);
            }
            alice.awaitFirst(f -> isAlert(f, forAlice), WAIT);

            alice.send("{\"type\":\"ack\",\"id\":\"a1\",\"alertId\":\"" + shared + "\"}");
            JsonNode answer = alice.awaitFirst(f -> "ack_result".equals(f.path("type").asText()), WAIT);
            assertEquals("a1", answer.path("ref").asText(), "the ack is answered with its ref");
            assertEquals(shared, answer.path("alertId").asText());
            assertFalse(answer.path("already").asBoolean(), answer::toString);
            for (WsClient client : List.of(alice, bob, carol)) {
                JsonNode ack = client.awaitFirst(f -> "alert_ack".equals(f.path("type").asText())
                        && shared.equals(f.path("alertId").asText()), WAIT);
                assertEquals("alice", ack.get("acknowledgedBy").asText());
            }

            // a second ack (by another user, over REST) changes nothing: no second alert_ack
            HttpResponse<String> again = send("POST", "/api/v1/alerts/" + shared + "/ack", "bob", "viewer", "");
            assertEquals(200, again.statusCode(), again.body());
            assertEquals("alice", Json.tree(again.body()).get("acknowledgedBy").asText());

            // unknown alert and a viewer's clear are refused on the socket, which stays open
            bob.send("{\"type\":\"ack\",\"id\":\"b1\",\"alertId\":\"000000000000000000000000\"}");
            bob.awaitFirst(f -> "error".equals(f.path("type").asText()) && "b1".equals(f.path("ref").asText())
                    && "unknown_alert".equals(f.path("code").asText()), WAIT);
            bob.send("{\"type\":\"clear\",\"id\":\"b2\",\"priorities\":[\"low\"]}");
            bob.awaitFirst(f -> "error".equals(f.path("type").asText()) && "b2".equals(f.path("ref").asText())
                    && "forbidden".equals(f.path("code").asText()), WAIT);

            // an operator clears the low alerts; everyone who sees them is told
            String low = post("low", "{\"everyone\":true}");
            bob.awaitFirst(f -> containsAlert(f, low), WAIT);
            carol.send("{\"type\":\"clear\",\"id\":\"c1\",\"priorities\":[\"low\"]}");
            JsonNode cleared = carol.awaitFirst(f -> "clear_result".equals(f.path("type").asText()), WAIT);
            assertEquals("c1", cleared.path("ref").asText(), "the clear is answered with its ref");
            assertEquals(1, cleared.path("cleared").asLong(), cleared::toString);
            for (WsClient client : List.of(alice, bob, carol)) {
                client.awaitFirst(f -> "alert_update".equals(f.path("type").asText())
                        && low.equals(f.path("alertId").asText()) && "cleared".equals(f.path("status").asText()), WAIT);
            }

            // a marker alert after everything: by the time it arrives, every earlier frame has arrived
            String marker = post("critical", "{\"everyone\":true}");
            for (WsClient client : List.of(alice, bob, carol)) {
                client.awaitFirst(f -> isAlert(f, marker), WAIT);
                long acks = client.ofType("alert_ack").stream()
                        .filter(f -> shared.equals(f.path("alertId").asText())).count();
                assertEquals(1, acks, "exactly one alert_ack for the shared alert");
            }
            assertTrue(bob.ofType("alert").stream().noneMatch(f -> isAlert(f, forAlice)), "bob never sees alice's alert");
            assertTrue(carol.ofType("alert").stream().noneMatch(f -> isAlert(f, forAlice)), "carol never sees alice's alert");
            HttpResponse<String> bobReads = send("GET", "/api/v1/alerts/" + forAlice, "bob", "viewer", null);
            assertEquals(404, bobReads.statusCode(), "nor can bob read it over REST");
        }
    }

    private static boolean isAlert(JsonNode frame, String alertId) {
        return "alert".equals(frame.path("type").asText()) && alertId.equals(frame.path("alertId").asText());
    }

    private static boolean containsAlert(JsonNode frame, String alertId) {
        return WsClient.holdsAlert(frame, alertId);
    }

    private static WsClient connect(String user, String role) {
        return tocsin.connect(user, role);
    }

    private static String post(String priority, String audience) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/alerts", "admin", "admin", """
                {"priority":"%s","type":"system_health","title":"Pump 3 pressure","message":"Above limit",
                 "source":"plant-1","audience":%s}""".formatted(priority, audience));
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }

    private static HttpResponse<String> send(String method, String path, String user, String role, String body)
            throws Exception {
        return tocsin.call(method, path, user, role, body);
    }
}
