package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.awaitClearedEvent;
import static dev.tocsin.ingest.TestSupport.awaitHistoryEvent;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.historyOf;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Acknowledge and clear: REST answers, stored state, and the change events they cause. */
@QuarkusTest
@IngestTest
class AlertLifecycleTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    @Test
    void ackIsIdempotentAndFirstAckWins() {
        String id = create(alertJson(uniqueType(), "to ack"));
        as("vera", "viewer").post("/api/v1/alerts/" + id + "/ack").then().statusCode(200)
                .contentType(ContentType.JSON)
                .header(AlertResource.ALREADY_ACKNOWLEDGED, "false")
                .body("id", equalTo(id))
                .body("acknowledgedBy", equalTo("vera"))
                .body("acknowledgedAt", notNullValue())
                .body("lastChange", equalTo("acknowledged"))
                .body("status", equalTo("active"));
        String firstAt = as("vera", "viewer").get("/api/v1/alerts/" + id).then().statusCode(200)
                .extract().jsonPath().getString("acknowledgedAt");
        // A repeat and a later ack by someone else change nothing and still answer 200 with the alert.
        // The header tells the gateway's ack_result that these found it acknowledged already.
        as("vera", "viewer").post("/api/v1/alerts/" + id + "/ack").then().statusCode(200)
                .header(AlertResource.ALREADY_ACKNOWLEDGED, "true")
                .body("acknowledgedBy", equalTo("vera")).body("acknowledgedAt", equalTo(firstAt));
        as("otto", "operator").post("/api/v1/alerts/" + id + "/ack").then().statusCode(200)
                .header(AlertResource.ALREADY_ACKNOWLEDGED, "true")
                .body("acknowledgedBy", equalTo("vera")).body("acknowledgedAt", equalTo(firstAt));

        AlertEvent event = awaitHistoryEvent(redis, id, e -> e.op() == ChangeOp.UPDATED);
        assertEquals(AlertChange.ACKNOWLEDGED, event.alert().lastChange());
        assertEquals("vera", event.alert().acknowledgedBy());
    }

    @Test
    void tenParallelAcksHaveOneWinnerAndOneEvent() throws Exception {
        String type = uniqueType();
        String id = create(alertJson(type, "contested"));
        awaitHistoryEvent(redis, id, e -> e.op() == ChangeOp.CREATED);
        int callers = 10;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                String user = "user" + i;
                var request = as(user, "viewer");
                answers.add(pool.submit(() -> {
                    go.await();
                    return request.post("/api/v1/alerts/" + id + "/ack").then().statusCode(200).extract().response();
                }));
            }
            go.countDown();
            Set<String> winners = new HashSet<>();
            List<String> performedBy = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Response answer = answers.get(i).get(30, TimeUnit.SECONDS);
                winners.add(answer.jsonPath().getString("acknowledgedBy"));
                if ("false".equals(answer.header(AlertResource.ALREADY_ACKNOWLEDGED))) {
                    performedBy.add("user" + i);
                } else {
                    assertEquals("true", answer.header(AlertResource.ALREADY_ACKNOWLEDGED));
                }
            }
            assertEquals(1, winners.size(), "every caller sees the same single winner: " + winners);
            assertEquals(List.copyOf(winners), performedBy,
                    "exactly one answer says it performed the acknowledgment, and it is the winner's");
        } finally {
            pool.shutdownNow();
        }

        // Clearing it afterwards gives a later event; once that is in the history, any second ack event would be too.
        admin().body("{\"types\":[\"" + type + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(1));
        awaitClearedEvent(redis, id);
        long ackEvents = historyOf(redis, id).stream()
                .filter(e -> e.alert() != null && e.alert().lastChange() == AlertChange.ACKNOWLEDGED).count();
        assertEquals(1, ackEvents, "exactly one acknowledged change event");
    }

    @Test
    void ackOfUnknownMalformedOrInvisibleAlertIs404() {
        as("vera", "viewer").post("/api/v1/alerts/65f000000000000000000000/ack").then().statusCode(404)
                .contentType("application/problem+json");
        as("vera", "viewer").post("/api/v1/alerts/not-an-id/ack").then().statusCode(404)
                .contentType("application/problem+json");
        String secret = create("""
                {"priority":"high","type":"%s","title":"t","message":"m","source":"s","audience":{"users":["bob"]}}
                """.formatted(uniqueType()));
        as("vera", "viewer").post("/api/v1/alerts/" + secret + "/ack").then().statusCode(404)
                .body("detail", equalTo("no alert with this id"));
        // Nothing was written by the refused ack.
        admin().get("/api/v1/alerts/" + secret).then().statusCode(200).body("lastChange", equalTo("created"));
        as("bob", "viewer").post("/api/v1/alerts/" + secret + "/ack").then().statusCode(200)
                .body("acknowledgedBy", equalTo("bob"));
    }

    @Test
    void ackAndClearNeedAToken() {
        RestAssured.given().post("/api/v1/alerts/65f000000000000000000000/ack").then().statusCode(401)
                .contentType("application/problem+json");
        RestAssured.given().contentType(ContentType.JSON).body("{\"types\":[\"x\"]}").post("/api/v1/alerts/clear")
                .then().statusCode(401).contentType("application/problem+json");
        as("nobody").post("/api/v1/alerts/65f000000000000000000000/ack").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void viewerMayNotClear() {
        as("vera", "viewer").body("{\"types\":[\"x\"]}").post("/api/v1/alerts/clear").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
    }

    @Test
    void clearNeedsACriterionAndValidValues() {
        JsonPath none = as("otto", "operator").body("{}").post("/api/v1/alerts/clear").then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        assertEquals(Set.of("ids", "priorities", "types", "olderThan"), Set.copyOf(none.getList("errors.field")));
        as("otto", "operator").body("{\"priorities\":[],\"types\":[]}").post("/api/v1/alerts/clear").then()
                .statusCode(400).body("errors.field", hasItems("ids", "priorities", "types", "olderThan"));
        as("otto", "operator").body("{\"priorities\":[\"urgent\"]}").post("/api/v1/alerts/clear").then()
                .statusCode(400).body("errors[0].field", containsString("priorities"))
                .body("errors[0].message", containsString("critical"));
        as("otto", "operator").body("{\"types\":[\"Bad Type\"]}").post("/api/v1/alerts/clear").then()
                .statusCode(400).body("errors.field", hasItem(containsString("types")));
        as("otto", "operator").body("{\"olderThan\":\"yesterday\"}").post("/api/v1/alerts/clear").then()
                .statusCode(400).body("errors[0].field", equalTo("olderThan"));
        as("otto", "operator").post("/api/v1/alerts/clear").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void clearByTypeAndPriorityOnlyTouchesMatchingActiveAlerts() {
        String type = uniqueType();
        String other = uniqueType();
        String high = create(alertJson(type, "high one"));
        String low = create("""
                {"priority":"low","type":"%s","title":"low one","message":"m","source":"s"}
                """.formatted(type));
        String untouched = create(alertJson(other, "other type"));

        admin().body("{\"types\":[\"" + type + "\"],\"priorities\":[\"high\"]}").post("/api/v1/alerts/clear")
                .then().statusCode(200).contentType(ContentType.JSON).body("cleared", equalTo(1));
        admin().get("/api/v1/alerts/" + high).then().body("status", equalTo("cleared"))
                .body("clearedBy", equalTo("alice")).body("clearedAt", notNullValue())
                .body("lastChange", equalTo("cleared"));
        admin().get("/api/v1/alerts/" + low).then().body("status", equalTo("active"));
        admin().get("/api/v1/alerts/" + untouched).then().body("status", equalTo("active"));

        // Already cleared alerts are not counted again: clearing is idempotent.
        admin().body("{\"types\":[\"" + type + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(1));
        admin().body("{\"types\":[\"" + type + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(0));

        AlertEvent event = awaitClearedEvent(redis, high);
        assertEquals(AlertStatus.CLEARED, event.alert().status());
        assertEquals("alice", event.alert().clearedBy());
    }

    @Test
    void clearOlderThanSparesNewerAlerts() {
        String type = uniqueType();
        String older = create(alertJson(type, "older"));
        Instant cut = Instant.parse(admin().get("/api/v1/alerts/" + older).jsonPath().getString("createdAt"))
                .plusMillis(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(cut.plusMillis(1)));
        String newer = create(alertJson(type, "newer"));
        as("otto", "operator").body("{\"types\":[\"" + type + "\"],\"olderThan\":\"" + cut + "\"}")
                .post("/api/v1/alerts/clear").then().statusCode(200).body("cleared", equalTo(1));
        admin().get("/api/v1/alerts/" + older).then().body("status", equalTo("cleared")).body("clearedBy", equalTo("otto"));
        admin().get("/api/v1/alerts/" + newer).then().body("status", equalTo("active"));
    }

    @Test
    void operatorsClearOnlyAlertsInTheirAudience() {
        String type = uniqueType();
        String mine = create(alertJson(type, "mine", "{\"groups\":[\"team-a\"]}"));
        String theirs = create(alertJson(type, "theirs", "{\"groups\":[\"team-b\"]}"));
        as("otto", "operator", "team-a").body("{\"types\":[\"" + type + "\"]}").post("/api/v1/alerts/clear")
                .then().statusCode(200).body("cleared", equalTo(1));
        admin().get("/api/v1/alerts/" + mine).then().body("status", equalTo("cleared"));
        admin().get("/api/v1/alerts/" + theirs).then().body("status", equalTo("active"));
        admin().body("{\"types\":[\"" + type + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(1));
        admin().get("/api/v1/alerts/" + theirs).then().body("status", equalTo("cleared"));
    }

    @Test
    void ackAndClearMetricsCount() {
        String type = uniqueType();
        String id = create(alertJson(type, "metrics"));
        as("vera", "viewer").post("/api/v1/alerts/" + id + "/ack").then().statusCode(200);
        admin().body("{\"types\":[\"" + type + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200);
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tocsin_ingest_acks_total"), "acks metric");
        assertTrue(metrics.contains("tocsin_ingest_cleared_total"), "cleared metric");
        assertTrue(metrics.contains("tocsin_ingest_expired_total"), "expired metric");
    }
}
