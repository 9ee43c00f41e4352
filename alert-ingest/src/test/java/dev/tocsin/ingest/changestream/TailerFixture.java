package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.event.AlertEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.redis.client.Redis;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Builds tailers on real clients (as the service wires them) and reads what they published. */
final class TailerFixture {

    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String DB = "tocsin";

    final MongoClient mongo;
    final Redis redis;
    final IngestConfig config;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MongoCollection<Document> alerts;
    final MongoCollection<Document> state;

    TailerFixture(MongoClient mongo, Redis redis, Map<String, String> overrides) {
        this.mongo = mongo;
        this.redis = redis;
        java.util.HashMap<String, String> settings = new java.util.HashMap<>(Map.of(
                "tocsin.ingest.change-stream.backoff-initial", "50ms",
                "tocsin.ingest.change-stream.backoff-max", "300ms",
                "tocsin.ingest.change-stream.max-await", "200ms",
                "tocsin.ingest.redis.publish-timeout", "1s"));
        settings.putAll(overrides);
        this.config = LocalParts.config(settings);
        this.alerts = mongo.getDatabase(DB).getCollection("alerts");
        this.state = mongo.getDatabase(DB).getCollection("changestream_state");
    }

    ChangeStreamTailer newTailer() {
        return new ChangeStreamTailer(mongo, DB, new AlertEventPublisher(redis, config),
                new ResumeTokenStore(mongo, DB, config), new AlertDocumentDecoder(mongo, DB),
                new IngestMetrics(registry), config);
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
