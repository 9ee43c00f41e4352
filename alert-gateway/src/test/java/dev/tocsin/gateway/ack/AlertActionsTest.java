package dev.tocsin.gateway.ack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ack and clear are forwarded to alert-ingest (a real HTTP server standing in for it) with the user's own token. */
@QuarkusTest
@GatewayTest
class AlertActionsTest extends GatewayQuarkusTest {

    @ConfigProperty(name = "tocsin.gateway.ingest-url")
    String ingestUrl;

    @Test
    void ackIsForwardedWithTheUsersOwnTokenAndSuccessNeedsNoAnswer() {
        String token = DevJwt.shared().token("act-alice", "viewer");
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            client.established();
            client.send("{\"type\":\"ack\",\"id\":\"a1\",\"alertId\":\"known-1\"}");
            JsonNode request = awaitRequest("/api/v1/alerts/known-1/ack");
            assertEquals("POST", request.path("method").asText());
            assertEquals("Bearer " + token, request.path("authorization").asText());
            // success is announced by the change event (alert_ack), not answered here: the next frame is the pong
            client.assertPingPong("after-ack");
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
    void clearIsForwardedForOperatorsWithTheCriteria() {
        String token = DevJwt.shared().token("act-erin", "operator");
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            client.established();
            client.send("{\"type\":\"clear\",\"id\":\"c1\",\"priorities\":[\"low\",\"info\"],\"types\":[\"data_quality\"],"
                    + "\"olderThan\":\"2026-01-01T00:00:00Z\"}");
            JsonNode request = awaitRequest("/api/v1/alerts/clear");
            assertEquals("Bearer " + token, request.path("authorization").asText());
            assertTrue(request.path("contentType").asText().startsWith("application/json"));
            JsonNode body = Json.tree(request.path("body").asText());
            assertEquals(List.of("info", "low"), sorted(body.path("priorities")));
            assertEquals("data_quality", body.path("types").get(0).asText());
            assertEquals("2026-01-01T00:00:00Z", body.path("olderThan").asText());
            client.assertPingPong("after-clear");
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

    private JsonNode awaitRequest(String path) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode entry : log()) {
                if (entry.path("path").asText().equals(path)) {
                    found[0] = entry;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private JsonNode log() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(ingestUrl + "/_log")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.tree(response.body());
    }

    private static List<String> sorted(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        values.sort(String::compareTo);
        return values;
    }

    private static void assertError(JsonNode frame, String code, String ref) {
        assertEquals("error", frame.path("type").asText(), frame::toString);
        assertEquals(code, frame.path("code").asText(), frame::toString);
        if (ref != null) {
            assertEquals(ref, frame.path("ref").asText());
        }
    }
}
