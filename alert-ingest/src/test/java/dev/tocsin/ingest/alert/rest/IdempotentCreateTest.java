package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** POST /api/v1/alerts with Idempotency-Key: retries and concurrent duplicates create exactly one alert. */
@QuarkusTest
@IngestTest
class IdempotentCreateTest {

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    private static Response post(String user, String key, String body) {
        return as(user, "publisher").header("Idempotency-Key", key).body(body).post("/api/v1/alerts");
    }

    private static int countOfType(String type) {
        return admin().queryParam("type", type).queryParam("size", 200).get("/api/v1/alerts").then().statusCode(200)
                .extract().jsonPath().getInt("total");
    }

    @Test
    void aRetryReturnsTheFirstAlertMarkedAsAReplayAndCreatesNoSecond() {
        String type = uniqueType();
        String key = UUID.randomUUID().toString();
        Response first = post("sensor-1", key, alertJson(type, "t"));
        first.then().statusCode(201).header("Idempotent-Replayed", (String) null);
        String id = first.jsonPath().getString("id");
        // Same request with other spacing: the same request.
        post("sensor-1", key, alertJson(type, "t").replace(",", " , ")).then().statusCode(201)
                .header("Idempotent-Replayed", "true").header("Location", first.header("Location"))
                .header("ETag", "\"1\"").body("id", equalTo(id)).body("title", equalTo("t"));
        assertEquals(1, countOfType(type));
        // The key is per caller: another publisher with the same key creates its own alert.
        post("sensor-2", key, alertJson(type, "t")).then().statusCode(201).header("Idempotent-Replayed", (String) null);
        assertEquals(2, countOfType(type));
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndCreatesNothing() {
        String type = uniqueType();
        String key = UUID.randomUUID().toString();
        post("sensor-1", key, alertJson(type, "first")).then().statusCode(201);
        post("sensor-1", key, alertJson(type, "second")).then().statusCode(422)
                .contentType("application/problem+json").body("status", equalTo(422))
                .body("type", equalTo("https://tocsin.dev/problems/idempotency-key-reused"));
        assertEquals(1, countOfType(type));
    }

    @Test
    void invalidKeysAre400() {
        String type = uniqueType();
        for (String bad : new String[] {"", "x".repeat(201), "caf\u00e9", "tab\there"}) {
            post("sensor-1", bad, alertJson(type, "t")).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("Idempotency-Key"));
        }
        post("sensor-1", "x".repeat(200), alertJson(type, "t")).then().statusCode(201);
        assertEquals(1, countOfType(type));
    }

    @Test
    void concurrentDuplicatesCreateExactlyOneAlert() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 15; round++) {
                String type = uniqueType();
                String key = UUID.randomUUID().toString();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Response>> answers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return post("racer", key, alertJson(type, "race"));
                    }));
                }
                go.countDown();
                List<String> ids = new ArrayList<>();
                int replays = 0;
                for (Future<Response> answer : answers) {
                    Response response = answer.get(30, TimeUnit.SECONDS);
                    assertEquals(201, response.statusCode(), response.asString());
                    ids.add(response.jsonPath().getString("id"));
                    replays += "true".equals(response.header("Idempotent-Replayed")) ? 1 : 0;
                }
                assertEquals(ids.get(0), ids.get(1), "both answers name the same alert");
                assertEquals(1, replays, "exactly one answer is the replay");
                assertEquals(1, countOfType(type), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
