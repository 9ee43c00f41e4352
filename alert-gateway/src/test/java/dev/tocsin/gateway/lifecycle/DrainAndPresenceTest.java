package dev.tocsin.gateway.lifecycle;

import dev.tocsin.gateway.presence.PresenceStore;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Presence expiry and the graceful drain, in their own application instance (a drained gateway stays drained), with a
 * short heartbeat so presence entries live only a few seconds.
 */
@QuarkusTest
@TestProfile(DrainAndPresenceTest.Profile.class)
@GatewayTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrainAndPresenceTest extends GatewayQuarkusTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tocsin.gateway.heartbeat-interval", "2s", "tocsin.gateway.drain-timeout", "5s");
        }
    }

    @Inject
    PresenceStore presence;

    @Test
    @Order(1)
    void anEntryNobodyRefreshesExpiresByItself() {
        // As a crashed gateway leaves it: added once, never refreshed, never removed. Nothing is killed.
        String user = "pr-crashed";
        presence.add(user, "crashed-gateway/conn-1").await().atMost(Duration.ofSeconds(5));
        assertEquals(1L, presence.live(user).await().atMost(Duration.ofSeconds(5)));
        await().atMost(Duration.ofSeconds(15)).until(() -> presence.live(user).await().atMost(Duration.ofSeconds(5)) == 0);
        // A connection of this gateway is refreshed by its heartbeats and stays (it answers the pings).
        try (TestClient client = connected("pr-alive", "viewer")) {
            String key = RedisKeys.defaults().presence("pr-alive");
            long deadline = System.currentTimeMillis() + 6_000; // longer than one entry lives unrefreshed (4 s)
            await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(15)).until(() -> {
                client.send("{\"type\":\"pong\"}"); // answers the heartbeats (one message a second)
                return System.currentTimeMillis() > deadline;
            });
            assertEquals(1L, presence.live("pr-alive").await().atMost(Duration.ofSeconds(5)));
            assertEquals(1L, redis.sortedSet(String.class).zcard(key));
        }
    }

    @Test
    @Order(2)
    void drainRefusesNewClientsAndClosesOpenOnesAfterTheirQueue() {
        String key = RedisKeys.defaults().presence("dr-alice");
        try (TestClient client = connected("dr-alice", "viewer")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(key) == 1);
            publish(Events.created("dr-1", Audience.EVERYONE));

            given().auth().oauth2(DevJwt.shared().token("dr-admin", "viewer")).post("/api/v1/admin/drain")
                    .then().statusCode(403);
            given().auth().oauth2(DevJwt.shared().token("dr-admin", "admin")).post("/api/v1/admin/drain")
                    .then().statusCode(202);

            // what was queued is still delivered, then the close
            assertEquals("dr-1", client.nextSkippingPings("alert").path("alertId").asText());
            assertEquals(4000, client.awaitClosed());
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'draining' }.status", is("DOWN"));
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(key) == 0);

            WebSocketHandshakeException refused = TestClient.refusal(wsUri(), DevJwt.shared().token("dr-bob", "viewer"));
            assertEquals(503, refused.getResponse().statusCode());
            assertEquals("draining", refused.getResponse().headers().firstValue("X-Tocsin-Refusal").orElse(null));
        }
    }
}
