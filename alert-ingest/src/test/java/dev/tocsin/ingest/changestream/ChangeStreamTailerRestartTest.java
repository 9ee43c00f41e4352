package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.localinfra.EmbeddedMongo;
import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tailer outside Quarkus, on the embedded MongoDB server and a real redis-server: resuming after a restart
 * from the stored position, and holding a change (never skipping it) while Redis is down.
 */
class ChangeStreamTailerRestartTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String DB = "tocsin";

    private EmbeddedMongo mongoServer;
    private LocalRedis redisServer;
    private MongoClient mongo;
    private Vertx vertx;
    private Redis redis;
    private IngestConfig config;
    private SimpleMeterRegistry registry;
    private MongoCollection<Document> alerts;

    @BeforeEach
    void start() {
        mongoServer = EmbeddedMongo.start();
        redisServer = LocalRedis.startOnFreePort();
        mongo = LocalParts.mongo(mongoServer.connectionString());
        vertx = Vertx.vertx();
        redis = LocalParts.redis(vertx, redisServer.uri());
        config = LocalParts.config(Map.of(
                "tocsin.ingest.change-stream.backoff-initial", "50ms",
                "tocsin.ingest.change-stream.backoff-max", "300ms",
                "tocsin.ingest.change-stream.max-await", "200ms",
                "tocsin.ingest.redis.publish-timeout", "1s"));
        registry = new SimpleMeterRegistry();
        alerts = mongo.getDatabase(DB).getCollection("alerts");
    }

    @AfterEach
    void stop() {
        mongo.close();
        redis.close();
        vertx.closeAndAwait();
        redisServer.stop();
        mongoServer.close();
    }

    private ChangeStreamTailer newTailer() {
        return new ChangeStreamTailer(mongo, DB, new AlertEventPublisher(redis, config),
                new ResumeTokenStore(mongo, DB, config), new AlertDocumentDecoder(mongo, DB),
                new IngestMetrics(registry), config);
    }

    private ObjectId insert(String title) {
        ObjectId id = new ObjectId();
        Date now = new Date();
        alerts.insertOne(new Document("_id", id).append("priority", "high").append("type", "outbreak_risk")
                .append("title", title).append("message", "m").append("source", "s").append("actionRequired", false)
                .append("createdAt", now).append("updatedAt", now)
                .append("audience", new Document("everyone", true)));
        return id;
    }

    private List<AlertEvent> awaitHistory(int size) {
        return await().atMost(DEADLINE).until(() -> LocalParts.history(redis, "tocsin:history"), h -> h.size() >= size);
    }

    @Test
    void resumesAfterTheStoredPositionWithoutRepeatingOrSkipping() {
        ChangeStreamTailer first = newTailer();
        first.start();
        await().atMost(DEADLINE).until(first::isOpen);
        ObjectId a = insert("a");
        AlertEvent eventA = awaitHistory(1).get(0);
        assertEquals(a.toHexString(), eventA.alertId());
        await().atMost(DEADLINE).until(() -> eventA.changeId().equals(first.lastChangeId()));
        first.stop();

        // Written while no tailer runs.
        ObjectId b = insert("b");
        alerts.updateOne(Filters.eq("_id", b), Updates.set("title", "b2"));
        ObjectId c = insert("c");
        alerts.deleteOne(Filters.eq("_id", a));

        ChangeStreamTailer second = newTailer();
        second.start();
        try {
            List<AlertEvent> history = awaitHistory(5);
            assertEquals(5, history.size(), "nothing repeated: " + history);
            assertEquals(List.of(ChangeOp.CREATED, ChangeOp.CREATED, ChangeOp.UPDATED, ChangeOp.CREATED, ChangeOp.DELETED),
                    history.stream().map(AlertEvent::op).toList());
            assertEquals(List.of(a.toHexString(), b.toHexString(), b.toHexString(), c.toHexString(), a.toHexString()),
                    history.stream().map(AlertEvent::alertId).toList());
            assertEquals("b2", history.get(2).alert().title());
            for (int i = 1; i < history.size(); i++) {
                assertEquals(history.get(i - 1).seq() + 1, history.get(i).seq());
            }
            Document state = mongo.getDatabase(DB).getCollection("changestream_state").find(Filters.eq("_id", "alerts")).first();
            assertEquals(history.get(4).changeId(), state.getString("changeId"));
            assertEquals(history.get(4).seq(), state.getLong("lastSeq"));
        } finally {
            second.stop();
        }
    }

    @Test
    void holdsAChangeWhileRedisIsDownAndPublishesItAfterwards() {
        ChangeStreamTailer tailer = newTailer();
        tailer.start();
        try {
            await().atMost(DEADLINE).until(tailer::isOpen);
            insert("before");
            AlertEvent before = awaitHistory(1).get(0);

            redisServer.stop();
            ObjectId during = insert("during outage");
            ObjectId after = insert("queued behind it");
            await().atMost(DEADLINE).until(() -> registry.counter("tocsin.ingest.publish.failures").count() >= 2);
            Document state = mongo.getDatabase(DB).getCollection("changestream_state").find(Filters.eq("_id", "alerts")).first();
            assertEquals(before.changeId(), state.getString("changeId"), "the position did not move past the unpublished change");

            redisServer.start(); // same port, empty: the sequence continues from the stored position
            List<AlertEvent> history = awaitHistory(2);
            assertEquals(List.of(during.toHexString(), after.toHexString()),
                    history.stream().map(AlertEvent::alertId).toList(), "published in order, none skipped");
            assertEquals(before.seq() + 1, history.get(0).seq(), "seq continues across the Redis restart");
            assertEquals(before.seq() + 2, history.get(1).seq());
            assertEquals(before.epoch(), history.get(0).epoch(), "same epoch: positions stay comparable");
            assertEquals(before.epoch(), history.get(1).epoch());
            Document stored = await().atMost(DEADLINE).until(() -> mongo.getDatabase(DB)
                    .getCollection("changestream_state").find(Filters.eq("_id", "alerts")).first(),
                    doc -> doc != null && history.get(1).changeId().equals(doc.getString("changeId")));
            assertEquals(before.epoch(), stored.getString("epoch"));
            assertEquals(history.get(1).seq(), stored.getLong("lastSeq"));
            assertTrue(registry.counter("tocsin.ingest.events.published", "op", "created").count() >= 3);
        } finally {
            tailer.stop();
        }
    }
}
