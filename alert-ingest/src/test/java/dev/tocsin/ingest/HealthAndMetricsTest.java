package dev.tocsin.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@IngestTest
class HealthAndMetricsTest {

    @Test
    void readinessIsUpWithMongoRedisAndChangeStreamChecks() {
        TestSupport.awaitChangeStreamOpen();
        JsonPath ready = RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")).extract().jsonPath();
        List<String> names = ready.getList("checks.name");
        System.out.println("readiness checks: " + names);
        assertTrue(names.contains("change-stream"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.toLowerCase().contains("mongo")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.toLowerCase().contains("redis")), names.toString());
        assertEquals(List.of(), ready.getList("checks.findAll { it.status != 'UP' }.name"));
        // The only replica holds the leader lock and runs the stream.
        assertEquals(List.of("leader"), ready.getList("checks.findAll { it.name == 'change-stream' }.data.role"));
    }

    @Test
    void livenessIsUpAndPublic() {
        RestAssured.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsArePublicAndNamed() {
        TestSupport.awaitChangeStreamOpen();
        RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tocsin_ingest_events_published_total{op=\"created\"}"))
                .body(containsString("tocsin_ingest_publish_failures_total"))
                .body(containsString("tocsin_ingest_changestream_lag_seconds"))
                .body(containsString("tocsin_ingest_changestream_open 1.0"))
                .body(containsString("tocsin_ingest_history_replays_total"))
                .body(containsString("tocsin_ingest_history_trimmed_total"));
    }
}
