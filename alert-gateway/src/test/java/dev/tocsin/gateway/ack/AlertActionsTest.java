package dev.tocsin.gateway.ack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.FakeIngestLog;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ack and clear are forwarded to alert-ingest (a real HTTP server standing in for it) with the user's own token, and
 * answered with ingest's result ({@code ack_result}, {@code clear_result}) or an error, each carrying the request's id.
 */
@QuarkusTest
@GatewayTest
class AlertActionsTest extends GatewayQuarkusTest {

    @ConfigProperty(name = "tocsin.gateway.ingest-url")
    String ingestUrl;

    @Test
    void ackIsForwardedWithTheUsersOwnTokenAndAnsweredBesidesTheBroadcast() {
        String token = DevJwt.shared().token("act-alice", "viewer");
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            client.established();
            AlertEvent created = publish(Events.created("known-alice-1", Audience.of(List.of("act-alice"), List.of())));
            assertEquals(created.seq(), client.next("alert").path("seq").asLong());

            client.send("{\"type\":\"ack\",\"id\":\"a1\",\"alertId\":\"known-alice-1\"}");
            JsonNode request = awaitRequest("/api/v1/alerts/known-alice-1/ack");
            assertEquals("POST", request.path("method").asText());
            assertEquals("Bearer " + token, request.path("authorization").asText());
            // ingest's answer comes back first: nothing has published the change yet
            JsonNode result = client.next("ack_result");
            assertEquals("a1", result.path("ref").asText());
            assertEquals("known-alice-1", result.path("alertId").asText());
            assertEquals("act-alice", result.path("acknowledgedBy").asText());
            assertFalse(result.path("already").asBoolean(true), result::toString);
            assertEquals(2, result.path("version").asLong());
            Instant acknowledgedAt = Instant.parse(result.path("acknowledgedAt").asText());

            // ingest's change stream publishes the acknowledged alert: every connection that sees it gets alert_ack
            publish(Events.updated(Events.versioned(Events.changed(created.alert(), AlertStatus.ACTIVE, "act-alice",
                    acknowledgedAt, AlertChange.ACKNOWLEDGED), 2)));
            JsonNode broadcast = client.next("alert_ack");
            assertEquals("known-alice-1", broadcast.path("alertId").asText());
            assertEquals(result.path("acknowledgedBy").asText(), broadcast.path("acknowledgedBy").asText());
            assertEquals(acknowledgedAt, Instant.parse(broadcast.path("acknowledgedAt").asText()));
            assertEquals(result.path("version").asLong(), broadcast.path("version").asLong());
        }
    }

    @Test
    void anAckThatChangesNothingIsAnsweredAlreadyWithTheStoredAcknowledgment() {
        try (TestClient first = connected("act-hugo", "viewer"); TestClient second = connected("act-ines", "operator")) {
            JsonNode made = first.request("{\"type\":\"ack\",\"id\":\"h1\",\"alertId\":\"known-twice-1\"}");
            assertAckResult(made, "h1", "act-hugo", false);

            JsonNode again = second.request("{\"type\":\"ack\",\"id\":\"i1\",\"alertId\":\"known-twice-1\"}");
            assertAckResult(again, "i1", "act-hugo", true);
            assertEquals(made.path("acknowledgedAt").asText(), again.path("acknowledgedAt").asText());
            assertEquals(made.path("version").asLong(), again.path("version").asLong());

            assertAckResult(first.request("{\"type\":\"ack\",\"id\":\"h2\",\"alertId\":\"known-twice-1\"}"),
                    "h2", "act-hugo", true);
        }
    }

    @Test
    void withoutTheHeaderOfAnOlderIngestAlreadyIsDerivedFromTheStoredAlert() {
        try (TestClient first = connected("act-jon", "viewer"); TestClient second = connected("act-kim", "viewer")) {
            // the stored acknowledgment is the requester's own and the alert's latest write: this request made it
            assertAckResult(first.request("{\"type\":\"ack\",\"id\":\"j1\",\"alertId\":\"legacy-1\"}"),
                    "j1", "act-jon", false);
            // someone else's acknowledgment: it was there already
            assertAckResult(second.request("{\"type\":\"ack\",\"id\":\"k1\",\"alertId\":\"legacy-1\"}"),
                    "k1", "act-jon", true);
        }
    }

    @Test
    void ingestAnswersBecomeErrorCodes() {
        try (TestClient client = connected("act-bob", "operator")) {
            assertError(client.request("{\"type\":\"ack\",\"id\":\"n\",\"alertId\":\"missing-1\"}"), "unknown_alert", "n");
            assertError(client.request("{\"type\":\"ack\",\"id\":\"d\",\"alertId\":\"denied-1\"}"), "forbidden", "d");
            assertError(client.request("{\"type\":\"ack\",\"id\":\"b\",\"alertId\":\"broken-1\"}"), "unavailable", "b");
            assertError(client.request("{\"type\":\"ack\",\"id\":\"h\",\"alertId\":\"hangup-1\"}"), "unavailable", "h");
            client.assertPingPong("after-errors");
        }
    }

    @Test
    void ingestRefusingTheTokenClosesWithTokenExpired() {
        try (TestClient client = connected("act-carol", "viewer")) {
            assertError(client.request("{\"type\":\"ack\",\"id\":\"s\",\"alertId\":\"stale-1\"}"), "forbidden", "s");
            assertEquals(4003, client.awaitClosed());
        }
    }

    @Test
    void badAckRequestsAreRefusedWithoutACall() {
        try (TestClient client = connected("act-dave", "viewer")) {
            JsonNode error = client.request("{\"type\":\"ack\",\"id\":\"x\"}");
            assertError(error, "invalid_message", "x");
            assertTrue(error.path("message").asText().contains("alertId"));
            assertError(client.request("{\"type\":\"ack\",\"alertId\":\"../../admin\"}"), "invalid_message", null);
            assertError(client.request("{\"type\":\"ack\",\"alertId\":[\"x\"]}"), "invalid_message", null);
        }
    }

    @Test
    void clearIsForwardedForOperatorsWithTheCriteriaAndAnsweredWithTheCount() {
        String token = DevJwt.shared().token("act-erin", "operator");
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            client.established();
            String clear = "{\"type\":\"clear\",\"id\":\"c1\",\"priorities\":[\"low\",\"info\"],"
                    + "\"types\":[\"data_quality\"],\"olderThan\":\"2026-01-01T00:00:00Z\"}";
            client.send(clear);
            JsonNode request = awaitRequest("/api/v1/alerts/clear", "Bearer " + token);
            assertTrue(request.path("contentType").asText().startsWith("application/json"));
            JsonNode body = Json.tree(request.path("body").asText());
            assertEquals(List.of("info", "low"), sorted(body.path("priorities")));
            assertEquals("data_quality", body.path("types").get(0).asText());
            assertEquals("2026-01-01T00:00:00Z", body.path("olderThan").asText());
            JsonNode result = client.next("clear_result");
            assertEquals("c1", result.path("ref").asText());
            assertEquals(2, result.path("cleared").asLong(), result::toString);
        }
    }

    @Test
    void aClearThatMatchesNothingIsAnsweredWithZero() {
        try (TestClient client = connected("act-lena", "admin")) {
            String clear = "{\"type\":\"clear\",\"id\":\"%s\",\"types\":[\"act-lena-only\"]}";
            assertEquals(2, client.request(clear.formatted("l1")).path("cleared").asLong());
            // the same criteria again: what matched is cleared already, so nothing matches now
            assertClearResult(client.request(clear.formatted("l2")), "l2", 0);
        }
    }

    @Test
    void viewersCannotClearAndNoCallIsMade() throws Exception {
        String token = DevJwt.shared().token("act-frank", "viewer");
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            client.established();
            assertError(client.request("{\"type\":\"clear\",\"id\":\"v\",\"priorities\":[\"low\"]}"), "forbidden", "v");
            // a later request of the same connection reaches ingest; the refused clear never did
            client.send("{\"type\":\"ack\",\"alertId\":\"known-frank\"}");
            awaitRequest("/api/v1/alerts/known-frank/ack");
            List<String> paths = new ArrayList<>();
            for (JsonNode entry : log()) {
                if (entry.path("authorization").asText().equals("Bearer " + token)) {
                    paths.add(entry.path("path").asText());
                }
            }
            assertEquals(List.of("/api/v1/alerts/known-frank/ack"), paths);
        }
    }

    @Test
    void clearWithoutCriterionIsInvalid() {
        try (TestClient client = connected("act-gina", "admin")) {
            JsonNode error = client.request("{\"type\":\"clear\",\"id\":\"e\"}");
            assertError(error, "invalid_message", "e");
            assertError(client.request("{\"type\":\"clear\",\"olderThan\":\"yesterday\"}"), "invalid_message", null);
        }
    }

    @Test
    void clearByIdsIsForwardedWithEachIdOnceAndAnsweredWithTheCount() {
        String token = DevJwt.shared().token("act-mia", "operator");
        String first = "65f0c0ffee00000000000a01";
        String second = "65f0c0ffee00000000000a02";
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            client.established();
            client.send("{\"type\":\"clear\",\"id\":\"m1\",\"ids\":[\"" + first + "\",\"" + second + "\",\""
                    + first + "\"],\"priorities\":[\"high\"]}");
            JsonNode request = awaitRequest("/api/v1/alerts/clear", "Bearer " + token);
            JsonNode body = Json.tree(request.path("body").asText());
            assertEquals(List.of(first, second), sorted(body.path("ids")), body::toString);
            assertEquals(List.of("high"), sorted(body.path("priorities")), "combined with the other criteria");
            assertClearResult(client.next("clear_result"), "m1", 2);

            // cleared already: repeating it changes nothing, and is still answered
            assertClearResult(client.request("{\"type\":\"clear\",\"id\":\"m2\",\"ids\":[\"" + second + "\"]}"),
                    "m2", 0);
        }
    }

    @Test
    void badIdsAreRefusedNamingTheFieldWithoutACall() throws Exception {
        String token = DevJwt.shared().token("act-noah", "admin");
        String valid = "65f0c0ffee00000000000b01";
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            client.established();
            List<String> refused = List.of(
                    "{\"type\":\"clear\",\"id\":\"n1\",\"ids\":[]}",
                    "{\"type\":\"clear\",\"id\":\"n2\",\"ids\":[\"" + valid + "\",\"../../admin\"],\"types\":[\"x\"]}",
                    "{\"type\":\"clear\",\"id\":\"n3\",\"ids\":[\"known-1\"]}",
                    "{\"type\":\"clear\",\"id\":\"n4\",\"ids\":["
                            + String.join(",", Collections.nCopies(201, "\"" + valid + "\"")) + "]}",
                    "{\"type\":\"clear\",\"id\":\"n5\",\"ids\":\"" + valid + "\"}",
                    "{\"type\":\"clear\",\"id\":\"n6\",\"ids\":[null]}");
            for (String message : refused) {
                JsonNode error = client.request(message);
                assertError(error, "invalid_message", null);
                // the field is named (the decoder's wording for a value of the wrong type: "... for 'ids'")
                assertTrue(error.path("message").asText().contains("ids"), error::toString);
            }
            assertTrue(client.request("{\"type\":\"clear\",\"id\":\"n2\",\"ids\":[\"" + valid + "\",\"x\"]}")
                    .path("message").asText().startsWith("ids[1]"), "the entry at fault is named");
            // 200 ids are fine: the one request that reaches ingest
            JsonNode most = client.request("{\"type\":\"clear\",\"id\":\"n7\",\"ids\":["
                    + String.join(",", Collections.nCopies(200, "\"" + valid + "\"")) + "]}");
            assertEquals("clear_result", most.path("type").asText(), most::toString);
            List<String> bodies = new ArrayList<>();
            for (JsonNode entry : log()) {
                if (entry.path("authorization").asText().equals("Bearer " + token)) {
                    bodies.add(entry.path("body").asText());
                }
            }
            assertEquals(1, bodies.size(), bodies::toString);
            assertEquals(List.of(valid), sorted(Json.tree(bodies.get(0)).path("ids")), "a repeated id is sent once");
        }
    }

    private JsonNode awaitRequest(String path) {
        return awaitRequest(path, null);
    }

    private JsonNode awaitRequest(String path, String authorization) {
        return new FakeIngestLog(ingestUrl).awaitRequest(path, authorization);
    }

    private JsonNode log() throws Exception {
        return new FakeIngestLog(ingestUrl).entries();
    }

    private static List<String> sorted(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        values.sort(String::compareTo);
        return values;
    }

    private static void assertAckResult(JsonNode frame, String ref, String acknowledgedBy, boolean already) {
        assertEquals("ack_result", frame.path("type").asText(), frame::toString);
        assertEquals(ref, frame.path("ref").asText());
        assertEquals(acknowledgedBy, frame.path("acknowledgedBy").asText(), frame::toString);
        assertTrue(frame.path("already").isBoolean(), frame::toString);
        assertEquals(already, frame.path("already").asBoolean(), frame::toString);
        assertTrue(frame.hasNonNull("acknowledgedAt"), frame::toString);
    }

    /** A {@code clear_result} answering {@code ref} with the count (0 included: a count, not a missing one). */
    private static void assertClearResult(JsonNode frame, String ref, long cleared) {
        assertEquals("clear_result", frame.path("type").asText(), frame::toString);
        assertEquals(ref, frame.path("ref").asText());
        assertEquals(cleared, frame.path("cleared").asLong(-1), frame::toString);
    }

    private static void assertError(JsonNode frame, String code, String ref) {
        assertEquals("error", frame.path("type").asText(), frame::toString);
        assertEquals(code, frame.path("code").asText(), frame::toString);
        if (ref != null) {
            assertEquals(ref, frame.path("ref").asText());
        }
    }
}
