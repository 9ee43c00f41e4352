package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.Assignee;
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
import static dev.tocsin.ingest.TestSupport.historyOf;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assigning and unassigning over REST: roles, validation, 404/409, idempotency, event and timeline. */
@QuarkusTest
@IngestTest
class AlertAssignTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    @Test
    void operatorAssignsToAUserThenAGroupAndTheEventCarriesTheAssignee() {
        String id = create(alertJson(uniqueType(), "t"));
        as("vera", "viewer").body("{\"user\":\"vera\"}").post("/api/v1/alerts/" + id + "/assign").then()
                .statusCode(403);
        as("otto", "operator").body("{\"user\":\"bob\"}").post("/api/v1/alerts/" + id + "/assign").then()
                .statusCode(200).header("ETag", "\"2\"")
                .body("assignee.kind", equalTo("user")).body("assignee.id", equalTo("bob"))
                .body("assignedBy", equalTo("otto")).body("assignedAt", notNullValue())
                .body("lastChange", equalTo("assigned")).body("version", equalTo(2));
        // The same assignment again writes nothing: same version, no event, no timeline entry.
        admin().body("{\"user\":\"bob\"}").post("/api/v1/alerts/" + id + "/assign").then()
                .statusCode(200).body("version", equalTo(2)).body("assignedBy", equalTo("otto"));
        admin().body("{\"group\":\"oncall-eu\"}").post("/api/v1/alerts/" + id + "/assign").then()
                .statusCode(200).body("assignee.kind", equalTo("group")).body("assignee.id", equalTo("oncall-eu"))
                .body("version", equalTo(3));
        AlertEvent event = awaitHistoryEvent(redis, id, e -> e.alert() != null && e.alert().version() == 3);
        assertEquals(AlertChange.ASSIGNED, event.alert().lastChange());
        assertEquals(Assignee.group("oncall-eu"), event.alert().assignee());
        assertEquals(3, historyOf(redis, id).size(), "created and two assignments, the repeated one wrote nothing");
        as("vera", "viewer").get("/api/v1/alerts/" + id + "/timeline").then().statusCode(200)
                .body("entries.kind", equalTo(List.of("created", "assigned", "assigned")))
                .body("entries.actor", equalTo(List.of("alice", "otto", "alice")))
                .body("entries[1].assignee.kind", equalTo("user")).body("entries[1].assignee.id", equalTo("bob"))
                .body("entries[2].assignee.id", equalTo("oncall-eu"));
    }

    @Test
    void unassignTakesTheAssignmentBackOnce() {
        String id = create(alertJson(uniqueType(), "t"));
        as("otto", "operator").delete("/api/v1/alerts/" + id + "/assignee").then().statusCode(200)
                .body("version", equalTo(1)).body("assignee", nullValue());
        as("otto", "operator").body("{\"user\":\"otto\"}").post("/api/v1/alerts/" + id + "/assign").then()
                .statusCode(200);
        as("vera", "viewer").delete("/api/v1/alerts/" + id + "/assignee").then().statusCode(403);
        as("otto", "operator").delete("/api/v1/alerts/" + id + "/assignee").then().statusCode(200)
                .body("assignee", nullValue()).body("assignedBy", equalTo("otto")).body("version", equalTo(3))
                .body("lastChange", equalTo("assigned"));
        as("otto", "operator").delete("/api/v1/alerts/" + id + "/assignee").then().statusCode(200)
                .body("version", equalTo(3));
        admin().get("/api/v1/alerts/" + id + "/timeline").then()
                .body("entries.kind", equalTo(List.of("created", "assigned", "unassigned")));
    }

    @Test
    void badBodiesAreProblemsAndNothingIsWritten() {
        String id = create(alertJson(uniqueType(), "t"));
        for (String body : List.of("{}", "{\"user\":\"a\",\"group\":\"b\"}", "{\"user\":\"  \"}",
                "{\"user\":\"" + "x".repeat(201) + "\"}", "{\"user\":\"a\\u0000b\"}", "[]", "null")) {
            admin().body(body).post("/api/v1/alerts/" + id + "/assign").then().statusCode(400)
                    .contentType("application/problem+json").body("status", equalTo(400));
        }
        admin().body("{}").post("/api/v1/alerts/" + id + "/assign").then().body("errors.field", hasItem("user"));
        admin().get("/api/v1/alerts/" + id).then().body("version", equalTo(1));
    }

    @Test
    void anAlertTheCallerCannotSeeIs404AndAClosedOne409() {
        String hidden = create(alertJson(uniqueType(), "t", "{\"users\":[\"bob\"]}"));
        as("otto", "operator").body("{\"user\":\"otto\"}").post("/api/v1/alerts/" + hidden + "/assign").then()
                .statusCode(404).contentType("application/problem+json");
        as("otto", "operator").body("{\"user\":\"otto\"}").post("/api/v1/alerts/000000000000000000000000/assign")
                .then().statusCode(404);
        as("otto", "operator").body("{\"user\":\"otto\"}").post("/api/v1/alerts/nope/assign").then().statusCode(404);
        String id = create(alertJson(uniqueType(), "t"));
        admin().post("/api/v1/alerts/" + id + "/resolve").then().statusCode(200);
        as("otto", "operator").body("{\"user\":\"otto\"}").post("/api/v1/alerts/" + id + "/assign").then()
                .statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://tocsin.dev/problems/conflict"));
        as("otto", "operator").delete("/api/v1/alerts/" + id + "/assignee").then().statusCode(409);
    }
}
