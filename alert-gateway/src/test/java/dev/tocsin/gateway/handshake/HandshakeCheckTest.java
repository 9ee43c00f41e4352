package dev.tocsin.gateway.handshake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.RawWebSocketClient;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /ws/alerts/check} answers what a handshake with the same token (and origin) would get now, and a browser
 * page can call it. Its own application instance: a small connection limit, an origin list, and a drain at the end
 * (a drained gateway stays drained).
 */
@QuarkusTest
@TestProfile(HandshakeCheckTest.Profile.class)
@GatewayTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HandshakeCheckTest extends GatewayQuarkusTest {

    static final String CONSOLE = "https://console.example.org";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tocsin.gateway.allowed-origins", CONSOLE,
                    "tocsin.gateway.max-connections-per-user", "2",
                    "tocsin.gateway.drain-timeout", "2s");
        }
    }

    private static RequestSpecification check(String token) {
        RequestSpecification request = given().redirects().follow(false);
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private static JsonNode problem(Response response, int status, String reason) {
        assertEquals(status, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        assertEquals(reason, response.header("X-Tocsin-Refusal"));
        JsonNode problem = Json.tree(response.asString());
        assertEquals(status, problem.path("status").asInt());
        assertEquals(reason, problem.path("reason").asText());
        return problem;
    }

    @Test
    @Order(1)
    void anAcceptableTokenGets204AndIsNotCountedAsAConnection() {
        awaitSubscribed();
        String user = "chk-alice";
        String token = DevJwt.shared().token(user, "viewer");
        for (int i = 0; i < 5; i++) { // more checks than the connection limit: none of them is a connection
            check(token).get("/ws/alerts/check").then().statusCode(204).header("Cache-Control", "no-store");
        }
        assertEquals(0L, redis.sortedSet(String.class).zcard(RedisKeys.defaults().presence(user)));
        // and the handshake agrees
        try (TestClient client = TestClient.connect(wsUri(), token)) {
            assertEquals(user, client.established().path("user").asText());
        }
    }

    @Test
    @Order(2)
    void badExpiredAndFutureTokensGet401LikeTheHandshake() throws Exception {
        Instant now = Instant.now();
        String expired = DevJwt.shared().sign("chk-bob", List.of("viewer"), now.minus(Duration.ofHours(2)),
                now.minus(Duration.ofHours(1)), DevJwt.ISSUER);
        String future = DevJwt.shared().sign("chk-bob", List.of("viewer"), now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2)), DevJwt.ISSUER);
        String forged = DevJwt.generate().token("chk-bob", "admin");
        check(null).get("/ws/alerts/check").then().statusCode(401);
        for (String token : List.of(expired, future, forged)) {
            check(token).get("/ws/alerts/check").then().statusCode(401);
            assertEquals(401, RawWebSocketClient.handshake(wsUri(), Map.of("Authorization", "Bearer " + token)).status());
        }
    }

    @Test
    @Order(3)
    void aTokenWithoutAClientRoleGets403LikeTheHandshake() throws Exception {
        String token = DevJwt.shared().token("chk-dave", "some-audience-group");
        Response response = check(token).get("/ws/alerts/check");
        assertEquals(403, response.statusCode());
        assertNull(response.header("X-Tocsin-Refusal")); // no reason: the role check, not a gateway rule
        assertEquals(403, RawWebSocketClient.handshake(wsUri(), Map.of("Authorization", "Bearer " + token)).status());
    }

    @Test
    @Order(4)
    void aForeignOriginGets403OriginNotAllowedAndCanReadIt() throws Exception {
        String token = DevJwt.shared().token("chk-erin", "viewer");
        Response response = check(token).header("Origin", "https://evil.example").get("/ws/alerts/check");
        JsonNode problem = problem(response, 403, "origin_not_allowed");
        // CORS headers on the refusal, so the page on that origin learns why
        assertEquals("https://evil.example", response.header("Access-Control-Allow-Origin"));
        assertTrue(response.header("Access-Control-Expose-Headers").contains("X-Tocsin-Refusal"));
        RawWebSocketClient.HandshakeResponse handshake = RawWebSocketClient.handshake(wsUri(),
                Map.of("Authorization", "Bearer " + token, "Origin", "https://evil.example"));
        assertEquals(403, handshake.status());
        assertEquals(Json.tree(handshake.body()), problem);
        // the listed origin passes
        check(token).header("Origin", CONSOLE).get("/ws/alerts/check").then().statusCode(204);
    }

    @Test
    @Order(5)
    void aBannedUserGets403BannedWithRetryAfter() throws Exception {
        String user = "chk-banned";
        redis.value(String.class).psetex(RedisKeys.defaults().ban(user), 90_000, "until later");
        String token = DevJwt.shared().token(user, "viewer");
        Response response = check(token).get("/ws/alerts/check");
        JsonNode problem = problem(response, 403, "banned");
        long retry = problem.path("retryAfterSeconds").asLong();
        assertTrue(retry > 80 && retry <= 90, "retryAfterSeconds " + retry);
        assertEquals(retry, Long.parseLong(response.header("Retry-After")));
        RawWebSocketClient.HandshakeResponse handshake = RawWebSocketClient.handshake(wsUri(),
                Map.of("Authorization", "Bearer " + token));
        assertEquals(403, handshake.status());
        assertEquals("banned", Json.tree(handshake.body()).path("reason").asText());
        // another user's ban says nothing about this one
        check(DevJwt.shared().token("chk-not-banned", "viewer")).get("/ws/alerts/check").then().statusCode(204);
    }

    @Test
    @Order(6)
    void aUserAtTheConnectionLimitGets429() throws Exception {
        String user = "chk-many";
        String key = RedisKeys.defaults().presence(user);
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                clients.add(connected(user, "viewer"));
                int expected = i + 1;
                await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(key) == expected);
            }
            String token = DevJwt.shared().token(user, "viewer");
            JsonNode problem = problem(check(token).get("/ws/alerts/check"), 429, "too_many_connections");
            RawWebSocketClient.HandshakeResponse handshake = RawWebSocketClient.handshake(wsUri(),
                    Map.of("Authorization", "Bearer " + token));
            assertEquals(429, handshake.status());
            assertEquals(Json.tree(handshake.body()), problem);
            clients.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(key) == 1);
            check(token).get("/ws/alerts/check").then().statusCode(204);
        } finally {
            clients.forEach(TestClient::close);
        }
    }

    @Test
    @Order(7)
    void aBrowserPageOnAnAllowedOriginPassesThePreflight() {
        Response preflight = given().header("Origin", CONSOLE).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").options("/ws/alerts/check");
        assertEquals(204, preflight.statusCode());
        assertEquals(CONSOLE, preflight.header("Access-Control-Allow-Origin"));
        assertTrue(preflight.header("Access-Control-Allow-Headers").toLowerCase().contains("authorization"));
        assertTrue(preflight.header("Access-Control-Allow-Methods").contains("GET"));
        // the actual request, and a 401 the page can read too
        Response ok = check(DevJwt.shared().token("chk-page", "viewer")).header("Origin", CONSOLE).get("/ws/alerts/check");
        assertEquals(204, ok.statusCode());
        assertEquals(CONSOLE, ok.header("Access-Control-Allow-Origin"));
        Response unauthorized = check(null).header("Origin", CONSOLE).get("/ws/alerts/check");
        assertEquals(401, unauthorized.statusCode());
        assertEquals(CONSOLE, unauthorized.header("Access-Control-Allow-Origin"));
        // nothing of the kind on the WebSocket path itself
        Response other = given().header("Origin", CONSOLE).header("Access-Control-Request-Method", "GET")
                .options("/ws/alerts");
        assertNull(other.header("Access-Control-Allow-Origin"));
    }

    @Test
    @Order(100)
    void aDrainingGatewayAnswers503WithRetryAfter1() {
        given().auth().oauth2(DevJwt.shared().token("chk-admin", "admin")).post("/api/v1/admin/drain")
                .then().statusCode(202);
        String token = DevJwt.shared().token("chk-late", "viewer");
        Response response = check(token).get("/ws/alerts/check");
        JsonNode problem = problem(response, 503, "draining");
        assertEquals("1", response.header("Retry-After"));
        assertEquals(1, problem.path("retryAfterSeconds").asInt());
        assertNotNull(TestClient.refusal(wsUri(), token));
        assertEquals(503, TestClient.refusal(wsUri(), token).getResponse().statusCode());
    }
}
