package dev.tocsin.ingest.metrics;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An alert created through the API is counted once in each of the ingest's stage histograms. */
@QuarkusTest
@IngestTest
class StageLatencyMetricsTest {

    @Inject
    MeterRegistry registry;

    @Test
    void aCreatedAlertIsTimedInEveryStage() {
        TestSupport.awaitChangeStreamOpen();
        long restInsert = count("rest_insert");
        long insertPublish = count("insert_publish");
        long receivePublish = count("receive_publish");

        admin().body(alertJson("outbreak_risk", "staged")).post("/api/v1/alerts").then().statusCode(201);

        assertEquals(restInsert + 1, count("rest_insert"), "timed before the answer is sent");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertTrue(count("insert_publish") >= insertPublish + 1, "the publish of the new alert is timed");
            assertTrue(count("receive_publish") >= receivePublish + 1, "the tailer's work on it is timed");
        });
        // The tailer's own part lies inside the time from the insert to the publish.
        assertTrue(timer("receive_publish").max(TimeUnit.NANOSECONDS) > 0);
        assertTrue(timer("rest_insert").max(TimeUnit.NANOSECONDS) > 0);
        RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tocsin_ingest_stage_latency_seconds_bucket{stage=\"rest_insert\",le=\"0.001\"}"))
                .body(containsString("tocsin_ingest_stage_latency_seconds_count{stage=\"insert_publish\"}"));
    }

    private long count(String stage) {
        return timer(stage).count();
    }

    private Timer timer(String stage) {
        return registry.get("tocsin.ingest.stage.latency").tag("stage", stage).timer();
    }
}
