package dev.tocsin.gateway.health;

import dev.tocsin.gateway.hub.EventLoopShards;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.GatewayTestSupport;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class HealthAndMetricsTest extends GatewayTestSupport {

    @Inject
    MeterRegistry registry;

    @Inject
    EventLoopShards<?> shards;

    @Test
    void readinessIncludesRedisAndTheSubscription() {
        awaitSubscribed();
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems("redis-subscription", "Redis connection health check"))
                .body("checks.find { it.name == 'redis-subscription' }.data.channel", is("tocsin:events"));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("checks.name", hasItems("alive"));
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        given().get("/q/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void metricsCountConnectionsMessagesAndEvents() {
        double decodeFailures = counter("tocsin.gateway.event.decode.failures", "reason", "malformed");
        double received = registry.get("tocsin.gateway.events.received").counter().count();
        double alertsSent = registry.get("tocsin.gateway.messages.sent").tag("type", "alert")
                .tag("priority", "critical").counter().count();
        long fanouts = registry.get("tocsin.gateway.fanout").timer().count();

        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token("alice", "viewer"))) {
            client.established();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    registry.get("tocsin.gateway.connections").gauge().value() >= 1);

            publishRaw("garbage");
            publish(Events.created("metered", null));
            assertEquals("metered", client.next("alert").path("alertId").asText());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertEquals(decodeFailures + 1, counter("tocsin.gateway.event.decode.failures", "reason", "malformed"));
                assertEquals(received + 2, registry.get("tocsin.gateway.events.received").counter().count());
                assertTrue(registry.get("tocsin.gateway.messages.sent").tag("type", "alert").tag("priority", "critical")
                        .counter().count() >= alertsSent + 1);
                // One fan-out sample per event loop that holds connections.
                assertEquals(fanouts + shards.all().size(), registry.get("tocsin.gateway.fanout").timer().count());
            });

            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("tocsin_gateway_connections"))
                    .body(containsString("tocsin_gateway_messages_sent_total{priority=\"none\",type=\"connection_established\"}"))
                    .body(containsString("tocsin_gateway_events_received_total"))
                    .body(containsString("tocsin_gateway_event_decode_failures_total{reason=\"malformed\"}"))
                    .body(containsString("tocsin_gateway_fanout_seconds_count"))
                    .body(containsString("tocsin_gateway_outbound_queued"))
                    .body(containsString("tocsin_gateway_dropped_total{reason=\"slow_consumer\"}"))
                    .body(containsString("tocsin_gateway_rate_limited_total"))
                    .body(containsString("tocsin_gateway_bans_total"))
                    .body(containsString("tocsin_gateway_batch_size"))
                    // the SLO bucket the delivery-latency burn-rate alerts divide by (deploy/k8s/components/monitoring)
                    .body(containsString("tocsin_gateway_delivery_latency_seconds_bucket{le=\"1.0\"}"))
                    .body(containsString("tocsin_gateway_delivery_latency_seconds_count"));
        }
    }

    @Test
    void stageHistogramsCountAnAlertThatPassed() {
        long received = stageCount("redis_receive");
        long written = stageCount("fanout_write");
        long wholePath = stageCount("created_write");
        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token("alice", "viewer"))) {
            client.established();
            publish(Events.created("staged", null));
            assertEquals("staged", client.next("alert").path("alertId").asText());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertTrue(stageCount("redis_receive") >= received + 1, "the event's receipt is timed");
                assertTrue(stageCount("fanout_write") >= written + 1, "the frame's write is timed");
                assertTrue(stageCount("created_write") >= wholePath + 1, "the alert's whole path is timed");
            });
            // A test event is published and received within this test: far below a minute, never negative.
            io.micrometer.core.instrument.Timer receipt = registry.get("tocsin.gateway.stage.latency")
                    .tag("stage", "redis_receive").timer();
            assertTrue(receipt.max(java.util.concurrent.TimeUnit.SECONDS) < 60);
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("tocsin_gateway_stage_latency_seconds_bucket{stage=\"fanout_write\",le=\"0.001\"}"))
                    .body(containsString("tocsin_gateway_stage_latency_seconds_count{stage=\"redis_receive\"}"));
        }
    }

    private long stageCount(String stage) {
        return registry.get("tocsin.gateway.stage.latency").tag("stage", stage).timer().count();
    }

    private double counter(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }
}
