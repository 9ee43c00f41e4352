package dev.tocsin.ingest.alert.retention;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.common.mongo.TtlIndexes;
import dev.tocsin.ingest.delivery.repository.DeliveryRepository;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention: every write that closes an alert sets {@code purgeAt} (closing time + 30 days by default), the TTL
 * indexes that make MongoDB remove such documents exist, and what an alert costs to store. The embedded test server
 * ignores {@code expireAfterSeconds} (it never deletes by TTL), so the removal itself is not run here.
 */
@QuarkusTest
@IngestTest
class RetentionTest {

    private static final Duration RETENTION = Duration.ofDays(30);

    @Inject
    MongoClient mongo;

    @Inject
    AlertRepository repository;

    @Inject
    DeliveryRepository deliveries;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    private MongoCollection<Document> alerts() {
        return mongo.getDatabase(database).getCollection("alerts");
    }

    private Document stored(String id) {
        return alerts().find(Filters.eq("_id", new ObjectId(id))).first();
    }

    private void assertPurgeAt(String id, String closedAtField) {
        Document alert = stored(id);
        Date closedAt = closedAtField == null ? alert.getDate("updatedAt") : alert.getDate(closedAtField);
        assertNotNull(alert.getDate("purgeAt"), id + " has purgeAt");
        assertEquals(closedAt.toInstant().plus(RETENTION), alert.getDate("purgeAt").toInstant(), closedAtField);
    }

    private static String alertJson(String type) {
        return """
                {"priority":"high","type":"%s","title":"t","message":"m","source":"s"}
                """.formatted(type);
    }

    @Test
    void everyClosingWriteSetsPurgeAtAndActiveAlertsHaveNone() {
        String type = uniqueType();
        String active = create(alertJson(type));
        String resolved = create(alertJson(type));
        String retracted = create(alertJson(type));
        String cleared = create(alertJson(type));
        admin().post("/api/v1/alerts/" + active + "/ack").then().statusCode(200);
        assertNull(stored(active).get("purgeAt"), "an active (even acknowledged) alert is never purged");
        deliver(active);
        deliver(resolved);
        deliveries.upsertAll(record(cleared), List.of("uma", "vic"));

        as("otto", "operator").post("/api/v1/alerts/" + resolved + "/resolve").then().statusCode(200);
        assertPurgeAt(resolved, "resolvedAt");
        assertDeliveriesPurgedWith(resolved);
        admin().delete("/api/v1/alerts/" + retracted).then().statusCode(204);
        assertPurgeAt(retracted, "retractedAt");
        // A record that arrives after the closing gets the alert's purgeAt too.
        deliver(retracted);
        assertDeliveriesPurgedWith(retracted);
        admin().body("{\"ids\":[\"" + cleared + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200);
        assertPurgeAt(cleared, "clearedAt");
        assertDeliveriesPurgedWith(cleared);
        // Resolving a cleared alert closes it again: the retention runs from the later closing.
        as("otto", "operator").post("/api/v1/alerts/" + cleared + "/resolve").then().statusCode(200);
        assertPurgeAt(cleared, "resolvedAt");
        assertDeliveriesPurgedWith(cleared);

        // Expiry: the job's write (run here directly, at a time past the alert's expiresAt).
        String expiring = create("""
                {"priority":"high","type":"%s","title":"t","message":"m","source":"s","expiresAt":"%s"}
                """.formatted(type, Instant.now().plusSeconds(30)));
        Instant due = stored(expiring).getDate("expiresAt").toInstant();
        assertTrue(repository.expire(due, "test") >= 1);
        assertEquals("expired", stored(expiring).getString("status"));
        assertPurgeAt(expiring, null);
        assertNull(stored(active).get("purgeAt"));
        assertNull(deliveryDocuments(active).get(0).get("purgeAt"), "records of an active alert are kept");
        // The records read back as before: purgeAt is not part of a delivery record.
        admin().get("/api/v1/alerts/" + resolved + "/deliveries").then().statusCode(200)
                .body("items[0].user", org.hamcrest.Matchers.equalTo("uma"))
                .body("items[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("purgeAt")));
    }

    private static DeliveryRecord record(String alertId) {
        return new DeliveryRecord(alertId, "uma", DeliveryChannel.TELEGRAM, DeliveryOutcome.DELIVERED, 1, "offline",
                null, Instant.now());
    }

    private void deliver(String alertId) {
        deliveries.upsert(record(alertId));
    }

    private List<Document> deliveryDocuments(String alertId) {
        return mongo.getDatabase(database).getCollection("deliveries").find(Filters.eq("alertId", alertId))
                .into(new ArrayList<>());
    }

    private void assertDeliveriesPurgedWith(String alertId) {
        List<Document> records = deliveryDocuments(alertId);
        assertTrue(!records.isEmpty());
        for (Document record : records) {
            assertEquals(stored(alertId).getDate("purgeAt"), record.getDate("purgeAt"), record::toJson);
        }
    }

    @Test
    void ttlIndexesExistWithExpireAfterZero() {
        assertTtlIndex(alerts(), "purgeAt");
        assertTtlIndex(mongo.getDatabase(database).getCollection("deliveries"), "purgeAt");
        assertTtlIndex(mongo.getDatabase(database).getCollection("idempotency_keys"), "expiresAt");
    }

    @Test
    void anExistingIndexWithOtherOptionsIsReplacedAndEnsuringAgainChangesNothing() {
        MongoCollection<Document> scratch = mongo.getDatabase(database).getCollection("ttl_" + uniqueType());
        scratch.createIndex(Indexes.ascending("purgeAt"), new IndexOptions().expireAfter(3600L, TimeUnit.SECONDS));
        TtlIndexes.ensure(scratch, "purgeAt", 0);
        TtlIndexes.ensure(scratch, "purgeAt", 0);
        assertTtlIndex(scratch, "purgeAt");
    }

    private static void assertTtlIndex(MongoCollection<Document> collection, String field) {
        List<Document> onField = new ArrayList<>();
        for (Document index : collection.listIndexes()) {
            if (index.get("key", Document.class).containsKey(field)) {
                onField.add(index);
            }
        }
        assertEquals(1, onField.size(), () -> "one index on " + field + ": " + onField);
        assertEquals(0, onField.get(0).get("expireAfterSeconds", Number.class).intValue(), onField.get(0)::toJson);
    }

    /**
     * Measures the stored size of a typical alert with a timeline of N entries and of one delivery record, and holds
     * it to what docs/operations.md states (a 500-entry timeline stays far below MongoDB's 16 MiB document limit).
     */
    @Test
    void storageCostOfAnAlertItsTimelineAndItsDeliveries() {
        String id = create("""
                {"priority":"critical","type":"%s","title":"Pump 3 pressure falling","message":"Pressure at pump 3 fell \
                below 2.1 bar at 10:14; check valve V-12 and the inflow sensor","source":"sensor-7",
                "location":{"lat":48.137,"lon":11.575,"region":"DE-BY"},"riskScore":0.8,"confidence":0.9,
                "audience":{"groups":["oncall-eu"]},"metadata":{"gauge":"R-17","reading":2.07,"unit":"bar"}}
                """.formatted(uniqueType()));
        MongoCollection<RawBsonDocument> raw = mongo.getDatabase(database).getCollection("alerts", RawBsonDocument.class);
        List<String> figures = new ArrayList<>();
        int previous = 0;
        int entries = 1;
        for (int target : new int[] {1, 10, 100, 500}) {
            List<Document> more = new ArrayList<>();
            for (; entries < target; entries++) {
                more.add(new Document("kind", "edited").append("actor", "sensor-7").append("at", new Date())
                        .append("fields", List.of("title", "priority")));
            }
            if (!more.isEmpty()) {
                alerts().updateOne(Filters.eq("_id", new ObjectId(id)), Updates.pushEach("timeline", more));
            }
            int size = raw.find(Filters.eq("_id", new ObjectId(id))).first().getByteBuffer().remaining();
            figures.add(target + " entries: " + size + " B");
            assertTrue(size > previous);
            previous = size;
        }
        deliveries.upsert(new DeliveryRecord(id, "uma", DeliveryChannel.TELEGRAM, DeliveryOutcome.DELIVERED, 2, "offline",
                null, Instant.now()));
        int delivery = mongo.getDatabase(database).getCollection("deliveries", RawBsonDocument.class)
                .find(Filters.eq("alertId", id)).first().getByteBuffer().remaining();
        figures.add("one delivery record: " + delivery + " B");
        System.out.println("STORAGE " + figures);
        assertTrue(previous < 64 * 1024, "a full 500-entry timeline stays below 64 KiB: " + figures);
        assertTrue(delivery < 512, "a delivery record stays below 512 B: " + figures);
    }
}
