package dev.tocsin.gateway.warmup;

import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.GatewayTestSupport;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The boot warm-up runs its operations against the real Redis and the JWT library, holds readiness until it ended,
 * leaves no presence entry behind, and the gateway serves real clients afterwards.
 */
@QuarkusTest
@TestProfile(BootWarmupTest.WithWarmup.class)
@GatewayTest
class BootWarmupTest extends GatewayTestSupport {

    static final int OPERATIONS = 300;

    @Inject
    BootWarmup warmup;

    @Test
    void everyOperationRunsBeforeReadinessAndNoPresenceIsLeft() {
        await().atMost(Duration.ofSeconds(60)).until(warmup::done);
        assertEquals(OPERATIONS, warmup.performed());
        awaitSubscribed();
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("boot-warmup", "redis-subscription"))
                .body("checks.find { it.name == 'boot-warmup' }.data.operations", is(OPERATIONS));
        assertEquals(0L, redis.sortedSet(String.class).zcard(new RedisKeys("tocsin:").presence(BootWarmup.USER)));
    }

    @Test
    void clientsConnectAfterTheWarmup() {
        await().atMost(Duration.ofSeconds(60)).until(warmup::done);
        awaitSubscribed();
        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token("bw-alice", "viewer"))) {
            assertEquals("bw-alice", client.established().path("user").asText());
        }
    }

    /** A short warm-up: the tests of every other class run without one. */
    public static class WithWarmup implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tocsin.gateway.warmup.operations", Integer.toString(OPERATIONS));
        }
    }
}
