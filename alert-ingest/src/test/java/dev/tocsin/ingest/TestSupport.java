package dev.tocsin.ingest;

import dev.tocsin.localinfra.DevJwt;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Helpers shared by the Quarkus tests: real signed tokens and a wait for the change stream to be open. */
public final class TestSupport {

    private TestSupport() {
    }

    public static RequestSpecification as(String user, String... groups) {
        return RestAssured.given().auth().oauth2(DevJwt.shared().token(user, groups)).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return as("alice", "admin");
    }

    /**
     * Changes written before the stream opened would not be published; tests wait for readiness first. A standby
     * replica is ready too (it serves REST), so this also waits for the stream itself to be open on this replica.
     */
    public static void awaitChangeStreamOpen() {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var check = RestAssured.given().get("/q/health/ready").jsonPath();
            return check.getList("checks.findAll { it.name == 'change-stream' }.status").contains("UP")
                    && check.getList("checks.findAll { it.name == 'change-stream' }.data.open").contains(true);
        });
    }

    /** Every event in the history stream, oldest first (the same text the relay stream and pub/sub carry). */
    public static List<AlertEvent> history(RedisDataSource redis) {
        return redis.stream(String.class, String.class, String.class)
                .xrange(RedisKeys.defaults().history(), StreamRange.of("-", "+")).stream()
                .map(message -> Json.decode(message.payload().get("event"), AlertEvent.class))
                .toList();
    }

    /** The history events of one alert, oldest first. */
    public static List<AlertEvent> historyOf(RedisDataSource redis, String alertId) {
        return history(redis).stream().filter(e -> alertId.equals(e.alertId())).toList();
    }

    /** Waits until the history holds an event of the alert that passes the test, and returns it. */
    public static AlertEvent awaitHistoryEvent(RedisDataSource redis, String alertId, Predicate<AlertEvent> test) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> historyOf(redis, alertId).stream().filter(test).findFirst().orElse(null), e -> e != null);
    }

    /** Waits until the history holds the alert's cleared change event, and returns it. */
    public static AlertEvent awaitClearedEvent(RedisDataSource redis, String alertId) {
        return awaitHistoryEvent(redis, alertId,
                e -> e.alert() != null && e.alert().lastChange() == AlertChange.CLEARED);
    }

    public static String uniqueType() {
        return "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Creates an alert as admin from a JSON body and returns its id. */
    public static String create(String body) {
        return admin().body(body).post("/api/v1/alerts").then().statusCode(201).extract().jsonPath().getString("id");
    }

    /** A high alert of {@code type} addressed to {@code audience} (its JSON, such as {@code {"users":["bob"]}}). */
    public static String alertJson(String type, String title, String audience) {
        return """
                {"priority":"high","type":"%s","title":"%s","message":"m","source":"s","audience":%s}
                """.formatted(type, title, audience);
    }

    public static String alertJson(String type, String title) {
        return """
                {"priority":"high","type":"%s","title":"%s","message":"Rising case counts","source":"model-7"}
                """.formatted(type, title);
    }
}
