package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.hamcrest.Matchers.equalTo;

/** The publisher role: creates alerts, reads, edits and retracts its own, and nothing else. */
@QuarkusTest
@IngestTest
class PublisherRoleTest {

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    private static RequestSpecification sensor() {
        return as("sensor-7", "publisher");
    }

    private static String publish(RequestSpecification publisher, String body) {
        return publisher.body(body).post("/api/v1/alerts").then().statusCode(201).extract().jsonPath().getString("id");
    }

    @Test
    void aPublisherCreatesReadsEditsAndRetractsItsOwnAlert() {
        String id = publish(sensor(), alertJson(uniqueType(), "smoke"));
        sensor().get("/api/v1/alerts/" + id).then().statusCode(200).header("ETag", "\"1\"");
        sensor().header("If-Match", "\"1\"").body("{\"title\":\"fire\"}").patch("/api/v1/alerts/" + id)
                .then().statusCode(200).body("title", equalTo("fire")).header("ETag", "\"2\"");
        sensor().delete("/api/v1/alerts/" + id).then().statusCode(204);
        sensor().delete("/api/v1/alerts/" + id).then().statusCode(204);
        admin().get("/api/v1/alerts/" + id).then().statusCode(200).body("status", equalTo("retracted"));
        admin().get("/api/v1/alerts/" + id + "/timeline").then().statusCode(200)
                .body("entries.actor", equalTo(java.util.List.of("sensor-7", "sensor-7", "sensor-7")));
    }

    @Test
    void anotherPublishersOrAnAdminsAlertIs403AndUnchanged() {
        String theirs = publish(as("sensor-8", "publisher"), alertJson(uniqueType(), "theirs"));
        String admins = create(alertJson(uniqueType(), "admins"));
        for (String id : new String[] {theirs, admins}) {
            sensor().header("If-Match", "\"1\"").body("{\"title\":\"mine now\"}").patch("/api/v1/alerts/" + id)
                    .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
            sensor().delete("/api/v1/alerts/" + id).then().statusCode(403).contentType("application/problem+json");
            admin().get("/api/v1/alerts/" + id).then().statusCode(200).body("version", equalTo(1))
                    .body("status", equalTo("active"));
        }
        // Reading another's alert reveals nothing, even one addressed to everyone.
        sensor().get("/api/v1/alerts/" + theirs).then().statusCode(404);
        sensor().get("/api/v1/alerts/" + admins).then().statusCode(404);
    }

    @Test
    void aPublisherAloneDoesNothingElse() {
        String id = publish(sensor(), alertJson(uniqueType(), "own"));
        sensor().get("/api/v1/alerts").then().statusCode(403);
        sensor().get("/api/v1/alerts/" + id + "/timeline").then().statusCode(403);
        sensor().post("/api/v1/alerts/" + id + "/ack").then().statusCode(403);
        sensor().post("/api/v1/alerts/" + id + "/resolve").then().statusCode(403);
        sensor().body("{\"ids\":[\"" + id + "\"]}").post("/api/v1/alerts/clear").then().statusCode(403);
        sensor().get("/api/v1/alerts/" + id + "/deliveries").then().statusCode(403);
        // Viewers and operators still do not create, edit or retract.
        as("otto", "operator").body(alertJson(uniqueType(), "x")).post("/api/v1/alerts").then().statusCode(403);
        as("otto", "operator").delete("/api/v1/alerts/" + id).then().statusCode(403);
        admin().get("/api/v1/alerts/" + id).then().statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void aPublisherWithAViewingRoleStillEditsOnlyItsOwn() {
        String admins = create(alertJson(uniqueType(), "for everyone"));
        RequestSpecification both = as("sensor-9", "publisher", "viewer");
        both.get("/api/v1/alerts/" + admins).then().statusCode(200);
        as("sensor-9", "publisher", "viewer").header("If-Match", "\"1\"").body("{\"title\":\"x\"}")
                .patch("/api/v1/alerts/" + admins).then().statusCode(403);
        as("otto", "operator", "viewer").header("If-Match", "\"1\"").body("{\"title\":\"x\"}")
                .patch("/api/v1/alerts/" + admins).then().statusCode(403);
    }
}
