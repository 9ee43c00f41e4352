package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.protocol.alert.AlertChange;
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
import static org.junit.jupiter.api.Assertions.assertEquals;

/** PATCH with If-Match: the edit, its event, and every way a stale or bad edit is refused without a write. */
@QuarkusTest
@IngestTest
class AlertEditTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    @Test
    void editWithCurrentETagChangesTheFieldsBumpsTheVersionAndPublishesIt() {
        String id = create(alertJson(uniqueType(), "before"));
        String etag = admin().get("/api/v1/alerts/" + id).then().statusCode(200).header("ETag", "\"1\"")
                .extract().header("ETag");
        admin().header("If-Match", etag)
                .body("{\"title\":\"after\",\"priority\":\"critical\",\"riskScore\":0.9,\"message\":\"Rising case counts\"}")
                .patch("/api/v1/alerts/" + id).then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("title", equalTo("after")).body("priority", equalTo("critical"))
                .body("version", equalTo(2)).body("lastChange", equalTo("updated"));
        AlertEvent event = awaitHistoryEvent(redis, id, e -> e.alert() != null && e.alert().version() == 2);
        assertEquals(AlertChange.UPDATED, event.alert().lastChange());
        assertEquals("after", event.alert().title());
        // The message was sent unchanged: only the three fields that changed are recorded.
        admin().get("/api/v1/alerts/" + id + "/timeline").then().statusCode(200)
                .body("entries.kind", equalTo(List.of("created", "edited")))
                .body("entries[1].actor", equalTo("alice"))
                .body("entries[1].fields", equalTo(List.of("title", "priority", "riskScore")));
    }

    @Test
    void staleIfMatchIs412WithAProblemAndWritesNothing() {
        String id = create(alertJson(uniqueType(), "t"));
        admin().header("If-Match", "\"1\"").body("{\"title\":\"first\"}").patch("/api/v1/alerts/" + id)
                .then().statusCode(200);
        admin().header("If-Match", "\"1\"").body("{\"title\":\"second\"}").patch("/api/v1/alerts/" + id)
                .then().statusCode(412).contentType("application/problem+json")
                .body("status", equalTo(412)).body("type", equalTo("https://tocsin.dev/problems/precondition-failed"));
        admin().get("/api/v1/alerts/" + id).then().body("title", equalTo("first")).body("version", equalTo(2));
        awaitHistoryEvent(redis, id, e -> e.alert() != null && e.alert().version() == 2);
        assertEquals(2, historyOf(redis, id).size(), "created and one edit, nothing for the refused one");
    }

    @Test
    void missingIfMatchIs428AndAMalformedOneIs400() {
        String id = create(alertJson(uniqueType(), "t"));
        admin().body("{\"title\":\"x\"}").patch("/api/v1/alerts/" + id).then().statusCode(428)
                .contentType("application/problem+json").body("status", equalTo(428));
        admin().header("If-Match", "*").body("{\"title\":\"x\"}").patch("/api/v1/alerts/" + id).then().statusCode(400)
                .body("errors.field", hasItem("If-Match"));
        admin().get("/api/v1/alerts/" + id).then().body("version", equalTo(1));
    }

    @Test
    void invalidBodiesAre400AndOnlyAdminsEdit() {
        String id = create(alertJson(uniqueType(), "t"));
        admin().header("If-Match", "\"1\"").body("{}").patch("/api/v1/alerts/" + id).then().statusCode(400)
                .body("errors.field", hasItem("body"));
        admin().header("If-Match", "\"1\"").body("{\"title\":\"  \",\"riskScore\":2}").patch("/api/v1/alerts/" + id)
                .then().statusCode(400).body("errors.field", hasItem("title")).body("errors.field", hasItem("riskScore"));
        as("otto", "operator").header("If-Match", "\"1\"").body("{\"title\":\"x\"}").patch("/api/v1/alerts/" + id)
                .then().statusCode(403);
        admin().header("If-Match", "\"1\"").body("{\"title\":\"x\"}").patch("/api/v1/alerts/0123456789abcdef01234567")
                .then().statusCode(404);
    }

    @Test
    void anEditThatChangesNothingWritesNothingAndAClearedAlertIsNotEditable() {
        String id = create(alertJson(uniqueType(), "same"));
        admin().header("If-Match", "\"1\"").body("{\"title\":\"same\"}").patch("/api/v1/alerts/" + id)
                .then().statusCode(200).body("version", equalTo(1));
        admin().body("{\"ids\":[\"" + id + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200);
        admin().header("If-Match", "\"2\"").body("{\"title\":\"x\"}").patch("/api/v1/alerts/" + id)
                .then().statusCode(409).body("status", equalTo(409));
    }
}
