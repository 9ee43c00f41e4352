package dev.tocsin.relay.health;

import dev.tocsin.localinfra.quarkus.RedisTestResource;
import dev.tocsin.relay.support.Relay;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class HealthEndpointsTest {

    @BeforeEach
    void ready() {
        Relay.awaitReady();
    }

    @Test
    void readinessIsUpAndListsRedisAndTheEventsSubscription() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("Redis connection health check", "tocsin-relay-events-subscription"))
                .body("checks.find { it.name == 'Redis connection health check' }.status", is("UP"))
                .body("checks.find { it.name == 'Redis connection health check' }.data.default", is("PONG"))
                .body("checks.find { it.name == 'tocsin-relay-events-subscription' }.data.channel",
                        is("tocsin:events"));
    }

    @Test
    void livenessAndStartedAreUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposedForPrometheusWithTheRelaySeriesFromTheStart() {
        given().accept("text/plain").get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("# TYPE tocsin_relay_events_received_total counter"));
        for (String op : List.of("created", "updated", "deleted")) {
            assertNotNull(Relay.sample("tocsin_relay_events_received_total", Map.of("op", op)), op);
        }
        assertNotNull(Relay.sample("tocsin_relay_event_decode_failures_total", Map.of()));
        assertEquals(1.0, Relay.sample("tocsin_relay_events_subscribed", Map.of()));
        // the Redis client's own meters come with quarkus-redis-client + micrometer
        assertNotNull(Relay.sample("redis_commands_success_total", Map.of()));
    }
}
