package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.event.AlertEvent;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.awaitClearedEvent;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clearing a selection: {@code ids} alone clears exactly the listed alerts, combines with the other criteria, never
 * reaches alerts the caller may not see (and does not tell them apart from unknown ones), and is validated with the
 * field named.
 */
@QuarkusTest
@IngestTest
class AlertClearByIdsTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    @Test
    void idsAloneClearExactlyTheListedAlertsOnce() {
        String type = uniqueType();
        String first = create(alertJson(type, "first"));
        String second = create(alertJson(type, "second"));
        String unselected = create(alertJson(type, "same priority and type, not selected"));

        // a repeated id (here also in upper case) counts once
        as("otto", "operator").body(ids(first, second, first, second.toUpperCase(Locale.ROOT)))
                .post("/api/v1/alerts/clear").then().statusCode(200).contentType(ContentType.JSON)
                .body("cleared", equalTo(2));
        admin().get("/api/v1/alerts/" + first).then().body("status", equalTo("cleared"))
                .body("clearedBy", equalTo("otto")).body("lastChange", equalTo("cleared"));
        admin().get("/api/v1/alerts/" + second).then().body("status", equalTo("cleared"));
        admin().get("/api/v1/alerts/" + unselected).then().body("status", equalTo("active"));

        // idempotent: the same ids again change nothing (nor the version)
        long version = admin().get("/api/v1/alerts/" + first).jsonPath().getLong("version");
        as("otto", "operator").body(ids(first, second)).post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(0));
        admin().get("/api/v1/alerts/" + first).then().body("version", equalTo((int) version));

        AlertEvent event = awaitClearedEvent(redis, second);
        assertEquals(AlertStatus.CLEARED, event.alert().status());
        assertEquals("otto", event.alert().clearedBy());
    }

    @Test
    void idsCombineWithTheOtherCriteria() {
        String type = uniqueType();
        String high = create(alertJson(type, "high"));
        String low = create("""
                {"priority":"low","type":"%s","title":"low","message":"m","source":"s"}
                """.formatted(type));
        admin().body("{\"ids\":[\"" + high + "\",\"" + low + "\"],\"priorities\":[\"high\"]}")
                .post("/api/v1/alerts/clear").then().statusCode(200).body("cleared", equalTo(1));
        admin().get("/api/v1/alerts/" + high).then().body("status", equalTo("cleared"));
        admin().get("/api/v1/alerts/" + low).then().body("status", equalTo("active"));
        // an id outside the other criteria stays even when they match many alerts
        admin().body("{\"ids\":[\"" + high + "\"],\"types\":[\"" + type + "\"]}")
                .post("/api/v1/alerts/clear").then().statusCode(200).body("cleared", equalTo(0));
        admin().get("/api/v1/alerts/" + low).then().body("status", equalTo("active"));
    }

    @Test
    void anOperatorCannotClearByIdAnAlertNotAddressedToThem() {
        String type = uniqueType();
        String theirs = create(alertJson(type, "theirs", "{\"groups\":[\"team-b\"]}"));
        String toBob = create(alertJson(type, "bob's", "{\"users\":[\"bob\"]}"));
        String mine = create(alertJson(type, "mine", "{\"users\":[\"otto\"]}"));
        String unknown = new ObjectId().toHexString();

        // the invisible ones are answered like an unknown id: 200, not counted
        as("otto", "operator", "team-a").body(ids(theirs)).post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(0));
        as("otto", "operator", "team-a").body(ids(unknown)).post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(0));
        as("otto", "operator", "team-a").body(ids(theirs, toBob, mine, unknown)).post("/api/v1/alerts/clear").then()
                .statusCode(200).body("cleared", equalTo(1));
        admin().get("/api/v1/alerts/" + mine).then().body("status", equalTo("cleared"));
        admin().get("/api/v1/alerts/" + theirs).then().body("status", equalTo("active"))
                .body("lastChange", equalTo("created"));
        admin().get("/api/v1/alerts/" + toBob).then().body("status", equalTo("active"));

        // admins clear any alert by id
        admin().body(ids(theirs, toBob)).post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(2));
    }

    @Test
    void badIdsAre400WithTheFieldNamed() {
        String valid = new ObjectId().toHexString();
        as("otto", "operator").body(ids(valid, "not-an-id")).post("/api/v1/alerts/clear").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("ids[1]"))
                .body("errors[0].message", containsString("alert id"));
        as("otto", "operator").body(ids(valid + "0")).post("/api/v1/alerts/clear").then().statusCode(400)
                .body("errors[0].field", equalTo("ids[0]"));
        as("otto", "operator").body("{\"ids\":[null]}").post("/api/v1/alerts/clear").then().statusCode(400)
                .body("errors[0].field", equalTo("ids[0]"));
        as("otto", "operator").body(ids(Collections.nCopies(201, valid).toArray(String[]::new)))
                .post("/api/v1/alerts/clear").then().statusCode(400)
                .body("errors[0].field", equalTo("ids"))
                .body("errors[0].message", containsString("200"));
        // an empty list is refused, not read as "any alert", even beside another criterion
        as("otto", "operator").body("{\"ids\":[],\"types\":[\"" + uniqueType() + "\"]}")
                .post("/api/v1/alerts/clear").then().statusCode(400).body("errors.field", hasItem("ids"));
        as("otto", "operator").body("{\"ids\":\"" + valid + "\"}").post("/api/v1/alerts/clear").then()
                .statusCode(400).body("errors[0].field", equalTo("ids"));
        // 200, a repeated one among them, is the most and fine
        as("otto", "operator").body(ids(Collections.nCopies(200, valid).toArray(String[]::new)))
                .post("/api/v1/alerts/clear").then().statusCode(200).body("cleared", equalTo(0));
    }

    private static String ids(String... ids) {
        return "{\"ids\":[" + String.join(",", List.of(ids).stream().map(id -> "\"" + id + "\"").toList()) + "]}";
    }
}
