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
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Notes over REST: who may add and read them, bounds with problem bodies, the event and the timeline entry. */
@QuarkusTest
@IngestTest
class AlertNotesTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    @Test
    void aViewerAddsANoteTheEventCarriesItAndTheAlertOnlyItsCount() {
        String id = create(alertJson(uniqueType(), "t"));
        String noteId = as("vera", "viewer").body("{\"text\":\"  seen it on site  \"}")
                .post("/api/v1/alerts/" + id + "/notes").then().statusCode(201)
                .body("author", equalTo("vera")).body("text", equalTo("seen it on site"))
                .body("id", matchesPattern("[0-9a-f]{24}")).extract().path("id");
        // A note is no edit: the version (If-Match) stays; the alert shows the count, never the notes.
        admin().get("/api/v1/alerts/" + id).then().statusCode(200).header("ETag", "\"1\"")
                .body("noteCount", equalTo(1)).body("lastChange", equalTo("noted")).body("$", not(hasKey("notes")));
        admin().queryParam("type", admin().get("/api/v1/alerts/" + id).path("type").toString())
                .get("/api/v1/alerts").then().body("items[0].noteCount", equalTo(1))
                .body("items[0]", not(hasKey("notes")));
        AlertEvent event = awaitHistoryEvent(redis, id, e -> e.note() != null);
        assertEquals(AlertChange.NOTED, event.alert().lastChange());
        assertEquals(noteId, event.note().id());
        assertEquals("seen it on site", event.note().text());
        assertEquals("vera", event.note().author());
        assertNotNull(event.note().at());
        as("otto", "operator").body("{\"text\":\"second\"}").post("/api/v1/alerts/" + id + "/notes").then()
                .statusCode(201);
        as("otto", "operator").get("/api/v1/alerts/" + id + "/notes").then().statusCode(200)
                .body("alertId", equalTo(id)).body("limit", equalTo(200))
                .body("notes.text", equalTo(List.of("seen it on site", "second")))
                .body("notes.author", equalTo(List.of("vera", "otto")));
        admin().get("/api/v1/alerts/" + id + "/timeline").then()
                .body("entries.kind", equalTo(List.of("created", "noted", "noted")))
                .body("entries[1].noteId", equalTo(noteId)).body("entries[1].actor", equalTo("vera"));
        // An edit against version 1 still passes after the notes.
        admin().header("If-Match", "\"1\"").body("{\"title\":\"t2\"}").patch("/api/v1/alerts/" + id).then()
                .statusCode(200).body("version", equalTo(2)).body("noteCount", equalTo(2));
    }

    @Test
    void textIsBoundedAndBadBodiesAreProblems() {
        String id = create(alertJson(uniqueType(), "t"));
        for (String body : List.of("{}", "{\"text\":\"   \"}", "{\"text\":\"" + "x".repeat(2001) + "\"}",
                "null")) {
            admin().body(body).post("/api/v1/alerts/" + id + "/notes").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        admin().body("{\"text\":\"" + "x".repeat(2001) + "\"}").post("/api/v1/alerts/" + id + "/notes").then()
                .body("errors.field", hasItem("text"));
        admin().body("{\"text\":\"" + "x".repeat(2000) + "\"}").post("/api/v1/alerts/" + id + "/notes").then()
                .statusCode(201);
    }

    @Test
    void whoCannotSeeTheAlertGets404AndAPublisherNotesOnlyItsOwn() {
        String hidden = create(alertJson(uniqueType(), "t", "{\"users\":[\"bob\"]}"));
        as("vera", "viewer").body("{\"text\":\"x\"}").post("/api/v1/alerts/" + hidden + "/notes").then()
                .statusCode(404).contentType("application/problem+json");
        as("vera", "viewer").get("/api/v1/alerts/" + hidden + "/notes").then().statusCode(404);
        as("bob", "viewer").body("{\"text\":\"mine\"}").post("/api/v1/alerts/" + hidden + "/notes").then()
                .statusCode(201);
        as("sensor-1", "publisher").body("{\"text\":\"x\"}").post("/api/v1/alerts/" + hidden + "/notes").then()
                .statusCode(404);
        String own = as("sensor-1", "publisher").body(alertJson(uniqueType(), "t")).post("/api/v1/alerts").then()
                .statusCode(201).extract().path("id");
        as("sensor-1", "publisher").body("{\"text\":\"from the sensor\"}").post("/api/v1/alerts/" + own + "/notes")
                .then().statusCode(201).body("author", equalTo("sensor-1"));
        as("sensor-1", "publisher").get("/api/v1/alerts/" + own + "/notes").then().statusCode(200)
                .body("notes.text", equalTo(List.of("from the sensor")));
    }

    @Test
    void aRetractedAlertTakesNoNotesAndAFullOneSaysSo() {
        String retracted = create(alertJson(uniqueType(), "t"));
        admin().delete("/api/v1/alerts/" + retracted).then().statusCode(204);
        admin().body("{\"text\":\"x\"}").post("/api/v1/alerts/" + retracted + "/notes").then().statusCode(409)
                .body("type", equalTo("https://tocsin.dev/problems/conflict"));
        as("vera", "viewer").body("{\"text\":\"x\"}").post("/api/v1/alerts/" + retracted + "/notes").then()
                .statusCode(404);
        // A resolved alert still takes notes (what was learnt).
        String id = create(alertJson(uniqueType(), "t"));
        admin().post("/api/v1/alerts/" + id + "/resolve").then().statusCode(200);
        for (int i = 0; i < 200; i++) {
            as("otto", "operator").body("{\"text\":\"n" + i + "\"}").post("/api/v1/alerts/" + id + "/notes").then()
                    .statusCode(201);
        }
        as("otto", "operator").body("{\"text\":\"one too many\"}").post("/api/v1/alerts/" + id + "/notes").then()
                .statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://tocsin.dev/problems/note-limit-reached"));
        admin().get("/api/v1/alerts/" + id).then().body("noteCount", equalTo(200));
        admin().get("/api/v1/alerts/" + id + "/notes").then().body("notes.size()", equalTo(200))
                .body("notes[199].text", equalTo("n199"));
    }
}
