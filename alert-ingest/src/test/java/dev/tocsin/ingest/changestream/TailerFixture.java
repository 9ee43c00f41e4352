package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.localinfra.EmbeddedMongo;
import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.protocol.event.AlertEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A MongoDB server and a real redis-server with their clients, tailers built on them as the service wires them,
 * and what they published; for plain JUnit tests of the tailer (no Quarkus application). Close it after each test.
 */
final class TailerFixture implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String DB = "tocsin";

    final LocalRedis redisServer;
    final MongoClient mongo;
    /** Raised by the fixture's client for its writes to {@code alerts}, as the service's client does. */
    final AlertWriteSignal alertWrites = new AlertWriteSignal();
    final Vertx vertx;
    final Redis redis;
    final IngestConfig config;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MongoCollection<Document> alerts;
    final MongoCollection<Document> state;
    private final AutoCloseable mongoServer;

    /** On the embedded MongoDB server. */
    static TailerFixture start(Map<String, String> overrides) {
        EmbeddedMongo server = EmbeddedMongo.start();
        return new TailerFixture(server.connectionString(), server, overrides);
    }

    /** On a MongoDB server the test started itself; closed with the fixture. */
    static TailerFixture start(String mongoConnectionString, AutoCloseable mongoServer, Map<String, String> overrides) {
        return new TailerFixture(mongoConnectionString, mongoServer, overrides);
    }

    private TailerFixture(String mongoConnectionString, AutoCloseable mongoServer, Map<String, String> overrides) {
        this.mongoServer = mongoServer;
        this.redisServer = LocalRedis.startOnFreePort();
        this.mongo = LocalParts.mongo(mongoConnectionString, new AlertWriteListener(alertWrites, DB));
        this.vertx = Vertx.vertx();
        this.redis = LocalParts.redis(vertx, redisServer.uri());
        Map<String, String> settings = new HashMap<>(Map.of(
                "tocsin.ingest.change-stream.backoff-initial", "50ms",
                "tocsin.ingest.change-stream.backoff-max", "300ms",
                "tocsin.ingest.change-stream.max-await", "200ms",
                "tocsin.ingest.redis.publish-timeout", "1s"));
        settings.putAll(overrides);
        this.config = LocalParts.config(settings);
        this.alerts = mongo.getDatabase(DB).getCollection("alerts");
        this.state = mongo.getDatabase(DB).getCollection("changestream_state");
    }

    @Override
    public void close() throws Exception {
        mongo.close();
        redis.close();
        vertx.closeAndAwait();
        redisServer.stop();
        mongoServer.close();
    }

    ChangeStreamTailer newTailer() {
        return new ChangeStreamTailer(new AlertRepository(mongo, DB), new TailerStatus(),
                new AlertEventPublisher(redis, config), new ResumeTokenStore(mongo, DB, config),
                new AlertDocumentDecoder(mongo, DB), new IngestMetrics(registry), config, alertWrites);
    }

    ObjectId insert(String title) {
        return insert(title, Instant.now());
    }

    ObjectId insert(String title, Instant updatedAt) {
        ObjectId id = new ObjectId();
        alerts.insertOne(new Document("_id", id).append("priority", "high").append("type", "outbreak_risk")
                .append("title", title).append("message", "m").append("source", "s").append("actionRequired", false)
                .append("createdAt", Date.from(updatedAt)).append("updatedAt", Date.from(updatedAt))
                .append("audience", new Document("everyone", true)));
        return id;
    }

    List<AlertEvent> history() {
        return LocalParts.history(redis, "tocsin:history");
    }

    List<AlertEvent> awaitHistory(int size) {
        return await().atMost(DEADLINE).until(this::history, h -> h.size() >= size);
    }

    Document storedState() {
        return state.find(Filters.eq("_id", "alerts")).first();
    }

    Document awaitStoredChange(String changeId) {
        return await().atMost(DEADLINE).until(this::storedState,
                doc -> doc != null && changeId.equals(doc.getString("changeId")));
    }
}
