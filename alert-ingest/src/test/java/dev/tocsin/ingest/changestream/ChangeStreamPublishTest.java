package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.Json;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands.RedisSubscriber;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end inside the service: REST write, change stream, Lua publish, Redis pub/sub and history, stored position. */
@QuarkusTest
@IngestTest
class ChangeStreamPublishTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Inject
    RedisDataSource redis;

    @Inject
    MongoClient mongo;

    @Inject
    AlertWriteSignal alertWrites;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    private RedisSubscriber subscriber;

    @BeforeEach
    void subscribe() {
        TestSupport.awaitChangeStreamOpen();
        // The blocking API returns once Redis confirmed the subscription.
        subscriber = redis.pubsub(String.class).subscribe("tocsin:events", received::add);
    }

    @AfterEach
    void unsubscribe() {
        if (subscriber != null) {
            subscriber.unsubscribe();
        }
    }

    @Test
    void createdAlertsArePublishedInOrderWithConsecutiveSeq() {
        String first = admin().body(alertJson("outbreak_risk", "first")).post("/api/v1/alerts")
                .then().statusCode(201).extract().jsonPath().getString("id");
        String second = admin().body(alertJson("outbreak_risk", "second")).post("/api/v1/alerts")
                .then().statusCode(201).extract().jsonPath().getString("id");

        AlertEvent a = awaitEvent(first, ChangeOp.CREATED);
        AlertEvent b = awaitEvent(second, ChangeOp.CREATED);
        assertEquals(a.seq() + 1, b.seq(), "seq rises by one per event");
        assertEquals(a.epoch(), b.epoch());
        assertNotNull(a.epoch());
        assertEquals("first", a.alert().title());
        assertEquals(first, a.alert().id());
        assertNotNull(a.changeId());
        assertNotNull(a.publishedAt());

        // The same event text is in the history stream under its seq.
        List<StreamMessage<String, String, String>> history = redis.stream(String.class, String.class, String.class)
                .xrange("tocsin:history", StreamRange.of("-", "+"));
        Optional<StreamMessage<String, String, String>> entry = history.stream()
                .filter(m -> String.valueOf(b.seq()).equals(m.payload().get("seq"))).findFirst();
        assertTrue(entry.isPresent(), "history holds seq " + b.seq());
        AlertEvent fromHistory = Json.decode(entry.get().payload().get("event"), AlertEvent.class);
        assertEquals(b, fromHistory);
        assertEquals(String.valueOf(b.seq()), redis.value(String.class).get("tocsin:seq"));
    }

    @Test
    void theServicesClientSignalsItsAlertWritesToTheTailer() {
        long before = alertWrites.writes();
        String id = admin().body(alertJson("outbreak_risk", "signalled")).post("/api/v1/alerts")
                .then().statusCode(201).extract().jsonPath().getString("id");
        assertTrue(alertWrites.writes() > before, "the insert was signalled by the client's command listener");
        awaitEvent(id, ChangeOp.CREATED);
    }

    @Test
    void updatesAndDeletesArePublished() {
        String id = admin().body(alertJson("system_health", "to change")).post("/api/v1/alerts")
                .then().statusCode(201).extract().jsonPath().getString("id");
        AlertEvent created = awaitEvent(id, ChangeOp.CREATED);

        MongoCollection<Document> alerts = mongo.getDatabase(database).getCollection("alerts");
        alerts.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.set("title", "changed"));
        AlertEvent updated = awaitEvent(id, ChangeOp.UPDATED);
        assertEquals("changed", updated.alert().title());
        assertTrue(updated.seq() > created.seq());

        alerts.deleteOne(Filters.eq("_id", new ObjectId(id)));
        AlertEvent deleted = awaitEvent(id, ChangeOp.DELETED);
        assertNull(deleted.alert());
        assertTrue(deleted.seq() > updated.seq());
    }

    @Test
    void resumeTokenIsStoredAfterPublishAndAdvances() {
        MongoCollection<Document> state = mongo.getDatabase(database).getCollection("changestream_state");
        String id1 = admin().body(alertJson("data_quality", "one")).post("/api/v1/alerts")
                .then().statusCode(201).extract().jsonPath().getString("id");
        AlertEvent e1 = awaitEvent(id1, ChangeOp.CREATED);
        Document s1 = await().atMost(DEADLINE).until(() -> state.find(Filters.eq("_id", "alerts")).first(),
                doc -> doc != null && e1.changeId().equals(doc.getString("changeId")));
        assertEquals(e1.seq(), s1.getLong("lastSeq"));
        assertNotNull(s1.get("token", Document.class));

        String id2 = admin().body(alertJson("data_quality", "two")).post("/api/v1/alerts")
                .then().statusCode(201).extract().jsonPath().getString("id");
        AlertEvent e2 = awaitEvent(id2, ChangeOp.CREATED);
        Document s2 = await().atMost(DEADLINE).until(() -> state.find(Filters.eq("_id", "alerts")).first(),
                doc -> doc != null && e2.changeId().equals(doc.getString("changeId")));
        assertNotEquals(s1.get("token"), s2.get("token"), "the stored position advances");
        assertEquals(e2.seq(), s2.getLong("lastSeq"));
    }

    private AlertEvent awaitEvent(String alertId, ChangeOp op) {
        return await().atMost(DEADLINE).until(() -> received.stream()
                        .map(text -> Json.decode(text, AlertEvent.class))
                        .filter(e -> e.alertId().equals(alertId) && e.op() == op)
                        .findFirst().orElse(null),
                e -> e != null);
    }
}
