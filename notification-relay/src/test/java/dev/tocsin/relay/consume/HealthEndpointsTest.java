package dev.tocsin.relay.consume;

import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertNotNull;

@QuarkusTest
@RelayTest
class HealthEndpointsTest extends RelayTestBase {

    @Test
    void readinessIsUpAndListsRedisMongoAndTheStreamConsumer() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("Redis connection health check", "MongoDB connection health check",
                        "tocsin-relay-stream-consumer"))
                .body("checks.find { it.name == 'tocsin-relay-stream-consumer' }.status", is("UP"))
                .body("checks.find { it.name == 'tocsin-relay-stream-consumer' }.data.stream", is("tocsin:relay"))
                .body("checks.find { it.name == 'tocsin-relay-stream-consumer' }.data.group", is("relay"));
    }

    @Test
    void livenessAndStartedAreUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void relaySeriesAreExposedFromTheStart() {
        given().accept("text/plain").get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("# TYPE tocsin_relay_sends_total counter"));
        for (String channel : List.of("telegram", "fcm")) {
            for (String outcome : List.of("delivered", "failed", "dead_letter", "skipped")) {
                assertNotNull(Relay.sample("tocsin_relay_sends_total", Map.of("channel", channel, "outcome", outcome)));
            }
            assertNotNull(Relay.sample("tocsin_relay_retries_total", Map.of("channel", channel)));
            assertNotNull(Relay.sample("tocsin_relay_dead_letters_total", Map.of("channel", channel)));
        }
        assertNotNull(Relay.sample("tocsin_relay_escalations_total", Map.of("step", "all-3s")));
        assertNotNull(Relay.sample("tocsin_relay_escalations_total", Map.of("step", "group-4s")));
        assertNotNull(Relay.sample("tocsin_relay_events_received_total", Map.of("op", "created")));
        assertNotNull(Relay.sample("tocsin_relay_inbox_appends_total", Map.of()));
        assertNotNull(Relay.sample("tocsin_relay_inbox_dropped_total", Map.of()));
        // the consumer gauges are refreshed from Redis (every second in %test: the scheduler's finest period)
        await().atMost(Relay.DEADLINE).until(() -> Relay.metric("tocsin_relay_consumer_lag", Map.of()) >= 0
                && Relay.metric("tocsin_relay_consumer_pending", Map.of()) >= 0
                && Relay.metric("tocsin_relay_steps_pending", Map.of()) >= 0);
    }
}
