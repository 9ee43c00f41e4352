package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.tocsin.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.Optional;

/**
 * Keeps the position of each change stream: one document per stream in the state collection,
 * {@code {_id: <streamId>, token, changeId, lastSeq, updatedAt}}. Written only after the change it names was
 * published, so a restart resumes after the last published change (at-least-once, never a gap).
 */
@ApplicationScoped
public class ResumeTokenStore {

    private final MongoCollection<BsonDocument> collection;

    public ResumeTokenStore(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database,
            IngestConfig config) {
        this.collection = mongo.getDatabase(database)
                .getCollection(config.changeStream().stateCollection(), BsonDocument.class);
    }

    public Optional<BsonDocument> load(String streamId) {
        BsonDocument state = collection.find(Filters.eq("_id", streamId)).first();
        if (state == null || !state.isDocument("token")) {
            return Optional.empty();
        }
        return Optional.of(state.getDocument("token"));
    }

    /** {@code lastSeq} is -1 when the change was skipped (nothing published). */
    public void save(String streamId, BsonDocument token, String changeId, long lastSeq) {
        BsonDocument state = new BsonDocument("_id", new BsonString(streamId))
                .append("token", token)
                .append("changeId", new BsonString(changeId))
                .append("lastSeq", new BsonInt64(lastSeq))
                .append("updatedAt", new BsonDateTime(Instant.now().toEpochMilli()));
        collection.replaceOne(Filters.eq("_id", streamId), state, new ReplaceOptions().upsert(true));
    }
}
