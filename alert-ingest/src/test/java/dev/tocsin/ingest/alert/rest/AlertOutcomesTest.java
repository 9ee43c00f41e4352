package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.event.AlertEvent;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.awaitHistoryEvent;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Resolve, retract and un-acknowledge over REST: roles, idempotency, listing, events and timeline entries. */
@QuarkusTest
@IngestTest
class AlertOutcomesTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    @Test
    void operatorResolvesWithANoteOnceAndTheAlertLeavesTheActiveList() {
        String type = uniqueType();
        String id = create(alertJson(type, "t"));
        as("vera", "viewer").post("/api/v1/alerts/" + id + "/resolve").then().statusCode(403);
        as("otto", "operator").body("{\"note\":\"pump fixed\"}").post("/api/v1/alerts/" + id + "/resolve")
                .then().statusCode(200).header("ETag", "\"2\"")
                .body("status", equalTo("resolved")).body("resolvedBy", equalTo("otto"))
                .body("resolution", equalTo("pump fixed")).body("lastChange", equalTo("resolved"));
        // Repeating it keeps the first resolution.
        as("alice", "admin").body("{\"note\":\"other\"}").post("/api/v1/alerts/" + id + "/resolve")
                .then().statusCode(200).body("resolvedBy", equalTo("otto")).body("version", equalTo(2));
        AlertEvent event = awaitHistoryEvent(redis, id, e -> e.alert() != null && e.alert().version() == 2);
        assertEquals(AlertStatus.RESOLVED, event.alert().status());
        admin().queryParam("type", type).queryParam("status", "active,acknowledged").get("/api/v1/alerts")
                .then().statusCode(200).body("total", equalTo(0));
        admin().queryParam("type", type).queryParam("status", "resolved").get("/api/v1/alerts")
                .then().statusCode(200).body("items.id", equalTo(List.of(id)));
        as("otto", "operator").get("/api/v1/alerts/" + id + "/timeline").then().statusCode(200)
                .body("entries.kind", equalTo(List.of("created", "resolved")))
                .body("entries[1].note", equalTo("pump fixed"));
    }

    @Test
    void resolveNeedsNoBodyButBoundsTheNote() {
        String id = create(alertJson(uniqueType(), "t"));
        admin().body("{\"note\":\"" + "x".repeat(1001) + "\"}").post("/api/v1/alerts/" + id + "/resolve")
                .then().statusCode(400).body("errors.field", hasItem("note"));
        // No body at all (as curl -X POST sends it): no Content-Type, no note.
        io.restassured.RestAssured.given().auth().oauth2(dev.tocsin.localinfra.DevJwt.shared().token("otto", "operator"))
                .post("/api/v1/alerts/" + id + "/resolve").then().statusCode(200)
                .body("status", equalTo("resolved")).body("resolution", nullValue());
    }

    @Test
    void adminRetractsTheAlertIsGoneForOthersAndHiddenByDefault() {
        String type = uniqueType();
        String id = create(alertJson(type, "mistake"));
        as("otto", "operator").delete("/api/v1/alerts/" + id).then().statusCode(403);
        admin().delete("/api/v1/alerts/" + id).then().statusCode(204);
        admin().delete("/api/v1/alerts/" + id).then().statusCode(204);
        AlertEvent event = awaitHistoryEvent(redis, id, e -> e.alert() != null && e.alert().version() == 2);
        assertEquals(AlertChange.RETRACTED, event.alert().lastChange());
        as("vera", "viewer").get("/api/v1/alerts/" + id).then().statusCode(404);
        as("vera", "viewer").get("/api/v1/alerts/" + id + "/timeline").then().statusCode(404);
        as("vera", "viewer").post("/api/v1/alerts/" + id + "/ack").then().statusCode(404);
        admin().queryParam("type", type).get("/api/v1/alerts").then().body("total", equalTo(0));
        admin().queryParam("type", type).queryParam("status", "retracted").get("/api/v1/alerts")
                .then().body("items.id", equalTo(List.of(id)));
        admin().get("/api/v1/alerts/" + id + "/timeline").then().statusCode(200)
                .body("entries.kind", equalTo(List.of("created", "retracted")))
                .body("entries.actor", equalTo(List.of("alice", "alice")));
        admin().post("/api/v1/alerts/" + id + "/resolve").then().statusCode(409);
    }

    @Test
    void onlyTheAcknowledgerOrAnAdminTakesTheAcknowledgmentBack() {
        String id = create(alertJson(uniqueType(), "t"));
        as("vera", "viewer").post("/api/v1/alerts/" + id + "/ack").then().statusCode(200);
        as("otto", "operator").delete("/api/v1/alerts/" + id + "/ack").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
        as("vera", "viewer").delete("/api/v1/alerts/" + id + "/ack").then().statusCode(200)
                .body("acknowledgedBy", nullValue()).body("lastChange", equalTo("unacknowledged"))
                .body("version", equalTo(3));
        // Nobody acknowledged it now: answered unchanged.
        as("vera", "viewer").delete("/api/v1/alerts/" + id + "/ack").then().statusCode(200).body("version", equalTo(3));
        as("otto", "operator").post("/api/v1/alerts/" + id + "/ack").then().statusCode(200)
                .body("acknowledgedBy", equalTo("otto"));
        admin().delete("/api/v1/alerts/" + id + "/ack").then().statusCode(200).body("acknowledgedBy", nullValue());
        AlertEvent event = awaitHistoryEvent(redis, id, e -> e.alert() != null && e.alert().version() == 5);
        assertEquals(AlertChange.UNACKNOWLEDGED, event.alert().lastChange());
        admin().get("/api/v1/alerts/" + id + "/timeline").then().statusCode(200)
                .body("entries.kind", equalTo(List.of("created", "acknowledged", "unacknowledged", "acknowledged",
                        "unacknowledged")))
                .body("entries.actor", equalTo(List.of("alice", "vera", "vera", "otto", "alice")))
                .body("entries.at", not(hasItem(nullValue())));
    }

    @Test
    void clearAndExpiryAreOnTheTimelineToo() {
        String id = create(alertJson(uniqueType(), "t"));
        as("otto", "operator").body("{\"ids\":[\"" + id + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200);
        admin().get("/api/v1/alerts/" + id + "/timeline").then().statusCode(200)
                .body("entries.kind", equalTo(List.of("created", "cleared")))
                .body("entries.actor", equalTo(List.of("alice", "otto")))
                .body("limit", equalTo(500));
    }
}
