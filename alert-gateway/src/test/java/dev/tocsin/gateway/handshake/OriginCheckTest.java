package dev.tocsin.gateway.handshake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.GatewayTestSupport;
import dev.tocsin.gateway.testsupport.RawWebSocketClient;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocketHandshakeException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The origin allowlist on the handshake: listed origins and non-browser clients pass, other origins get 403. */
@QuarkusTest
@TestProfile(OriginCheckTest.ConsoleOrigins.class)
@GatewayTest
class OriginCheckTest extends GatewayTestSupport {

    public static class ConsoleOrigins implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tocsin.gateway.allowed-origins", "https://console.example.org,http://localhost:8080/");
        }
    }

    @Test
    void aListedOriginConnects() {
        awaitSubscribed();
        String token = DevJwt.shared().token("or-alice", "viewer");
        try (TestClient client = TestClient.connect(wsUri(), b -> b.header("Authorization", "Bearer " + token)
                .header("Origin", "https://console.example.org"))) {
            assertEquals("or-alice", client.established().path("user").asText());
        }
        // a browser with the token in the query, from the other listed origin (configured with a trailing slash)
        try (TestClient client = TestClient.connect(wsUri("access_token=" + DevJwt.shared().token("or-alice", "viewer")),
                b -> b.header("Origin", "http://localhost:8080"))) {
            assertEquals("or-alice", client.established().path("user").asText());
        }
    }

    @Test
    void aHandshakeWithoutOriginIsNoBrowserAndConnects() {
        awaitSubscribed();
        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token("or-bob", "viewer"))) {
            assertEquals("or-bob", client.established().path("user").asText());
        }
    }

    @Test
    void anotherOriginIsRefusedWith403AndAProblem() throws Exception {
        awaitSubscribed();
        String token = DevJwt.shared().token("or-mallory", "viewer");
        WebSocketHandshakeException refused = TestClient.refusal(wsUri(),
                b -> b.header("Authorization", "Bearer " + token).header("Origin", "https://evil.example"));
        assertEquals(403, refused.getResponse().statusCode());
        assertEquals("origin_not_allowed",
                refused.getResponse().headers().firstValue("X-Tocsin-Refusal").orElse(null));

        // the body, read off the wire (the JDK client does not always keep it)
        RawWebSocketClient.HandshakeResponse raw = RawWebSocketClient.handshake(wsUri(),
                Map.of("Authorization", "Bearer " + token, "Origin", "https://evil.example"));
        assertEquals(403, raw.status());
        assertEquals("origin_not_allowed", raw.headers().get("x-tocsin-refusal"));
        assertTrue(raw.headers().get("content-type").startsWith("application/problem+json"));
        JsonNode problem = Json.tree(raw.body());
        assertEquals(403, problem.path("status").asInt());
        assertEquals("origin_not_allowed", problem.path("reason").asText());
        assertEquals("https://tocsin.dev/problems/origin-not-allowed", problem.path("type").asText());
        assertFalse(problem.path("detail").asText().isBlank());
        assertFalse(raw.body().contains("Exception"), raw.body());

        // the opaque origin of a sandboxed page or a file is no listed origin either
        assertEquals(403, TestClient.refusedStatus(wsUri(),
                b -> b.header("Authorization", "Bearer " + token).header("Origin", "null")));
    }

    @Test
    void aForeignOriginWithoutAValidTokenIsRefusedByAuthenticationFirst() throws Exception {
        assertEquals(401, RawWebSocketClient.handshake(wsUri(), Map.of("Origin", "https://evil.example")).status());
    }
}
