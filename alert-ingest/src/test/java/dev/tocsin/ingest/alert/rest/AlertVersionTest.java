package dev.tocsin.ingest.alert.rest;

import com.mongodb.client.MongoClient;
import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.awaitHistoryEvent;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code version}: 1 at creation, one more with every write that changes the alert, unchanged by writes that change
 * nothing; REST bodies and the change events published to Redis carry the same number for the same state.
 */
@QuarkusTest
@IngestTest
class AlertVersionTest {

    @Inject
    RedisDataSource redis;

    @Inject
    MongoClient mongo;

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    @Test
    void everyWriteRaisesTheVersionByOneAndItsEventCarriesIt() {
        String type = uniqueType();
        JsonPath created = admin().body(alertJson(type, "versioned")).post("/api/v1/alerts").then().statusCode(201)
                .body("version", equalTo(1)).extract().jsonPath();
        String id = created.getString("id");
        assertEquals(1, awaitHistoryEvent(redis, id, e -> e.op() == ChangeOp.CREATED).alert().version());

        as("vera", "viewer").post("/api/v1/alerts/" + id + "/ack").then().statusCode(200)
                .body("version", equalTo(2)).body("acknowledgedBy", equalTo("vera"));
        AlertEvent acked = awaitHistoryEvent(redis, id, e -> change(e) == AlertChange.ACKNOWLEDGED);
        assertEquals(2, acked.alert().version(), "the event carries the version the REST body showed");

        // Repeated acks change nothing, the version included.
        as("vera", "viewer").post("/api/v1/alerts/" + id + "/ack").then().statusCode(200).body("version", equalTo(2));
        as("otto", "operator").post("/api/v1/alerts/" + id + "/ack").then().statusCode(200)
                .body("version", equalTo(2)).body("acknowledgedBy", equalTo("vera"));
        admin().get("/api/v1/alerts/" + id).then().body("version", equalTo(2));

        admin().body("{\"types\":[\"" + type + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(1));
        admin().get("/api/v1/alerts/" + id).then().body("version", equalTo(3)).body("status", equalTo("cleared"));
        AlertEvent cleared = awaitHistoryEvent(redis, id, e -> change(e) == AlertChange.CLEARED);
        assertEquals(3, cleared.alert().version());

        // A clear that finds nothing active changes nothing.
        admin().body("{\"types\":[\"" + type + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", equalTo(0));
        admin().get("/api/v1/alerts/" + id).then().body("version", equalTo(3));
        // Every event of the alert has its own version, rising by one per write.
        assertEquals(List.of(1L, 2L, 3L), TestSupport.historyOf(redis, id).stream()
                .map(e -> e.alert().version()).toList());
    }

    @Test
    void anAlertStoredWithoutAVersionReadsAsZeroAndItsFirstWriteMakesItOne() {
        ObjectId id = new ObjectId();
        Date now = new Date();
        // As stored before versions existed: no version field.
        mongo.getDatabase("tocsin").getCollection("alerts").insertOne(new Document("_id", id)
                .append("priority", "high").append("type", uniqueType()).append("title", "legacy")
                .append("message", "m").append("source", "s").append("createdAt", now).append("updatedAt", now)
                .append("audience", new Document("everyone", true)).append("status", "active")
                .append("lastChange", "created"));
        String hex = id.toHexString();
        admin().get("/api/v1/alerts/" + hex).then().statusCode(200).body("version", equalTo(0));
        assertEquals(0, awaitHistoryEvent(redis, hex, e -> e.op() == ChangeOp.CREATED).alert().version());

        as("vera", "viewer").post("/api/v1/alerts/" + hex + "/ack").then().statusCode(200)
                .body("version", equalTo(1));
        assertEquals(1, awaitHistoryEvent(redis, hex, e -> change(e) == AlertChange.ACKNOWLEDGED).alert().version());
    }

    private static AlertChange change(AlertEvent event) {
        return event.alert() == null ? null : event.alert().lastChange();
    }
}
