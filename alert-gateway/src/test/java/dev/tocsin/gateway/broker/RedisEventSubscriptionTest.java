package dev.tocsin.gateway.broker;

import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.GatewayTestSupport;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.localinfra.quarkus.InjectLocalRedis;
import dev.tocsin.protocol.event.AlertEvent;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class RedisEventSubscriptionTest extends GatewayTestSupport {

    @InjectLocalRedis
    LocalRedis localRedis;

    @Test
    void subscribesAgainAfterRedisRestartsAndReadinessFollows() {
        awaitSubscribed();
        long before = subscription.resubscriptions();
        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token("alice", "viewer"))) {
            client.established();

            localRedis.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> !subscription.isActive());
            given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'redis-subscription' }.status", org.hamcrest.Matchers.is("DOWN"));
            // Clients stay connected while Redis is away.
            client.assertPingPong("during-outage");

            localRedis.start();
            await().atMost(Duration.ofSeconds(30)).until(subscription::isActive);
            assertTrue(subscription.resubscriptions() > before);

            // The first command after the restart may meet a pooled connection that died: retry until accepted.
            AlertEvent event = Events.created("after-restart", null);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> publish(event));
            assertEquals("after-restart", client.next("alert").path("alertId").asText());

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().get("/q/health/ready").then().statusCode(200)
                            .body("checks.name", hasItem("redis-subscription")));
        } finally {
            localRedis.start(); // no-op when running; keeps later tests safe if an assertion failed mid-way
        }
    }
}
