package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.localinfra.quarkus.InjectLocalRedis;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Without Redis the listing has no position to give, and a page without one cannot be merged with the live stream
 * safely: 503, and the listing works again once Redis is back. Reading one alert needs no position and still works.
 */
@QuarkusTest
@IngestTest
class AlertListWithoutRedisTest {

    @InjectLocalRedis
    LocalRedis redisServer;

    @AfterEach
    void redisBack() {
        redisServer.start();
    }

    @Test
    void listAnswers503WhileRedisIsAwayAndWorksAgainAfter() {
        String type = uniqueType();
        String id = create(alertJson(type, "while redis is away"));
        redisServer.stop();

        as("vera", "viewer").queryParam("type", type).get("/api/v1/alerts").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://tocsin.dev/problems/unavailable"))
                .body("status", equalTo(503))
                .body("detail", equalTo("the change-event position cannot be read right now; retry shortly"));
        as("vera", "viewer").get("/api/v1/alerts/" + id).then().statusCode(200).body("id", equalTo(id));

        redisServer.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> as("vera", "viewer").queryParam("type", type)
                .get("/api/v1/alerts").statusCode() == 200);
        as("vera", "viewer").queryParam("type", type).get("/api/v1/alerts").then().statusCode(200)
                .body("total", equalTo(1)).body("seq", notNullValue());
    }
}
