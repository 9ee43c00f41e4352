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
import org.bson.BsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.Optional;

/**
 * Keeps the position of each change stream: one document per stream in the state collection,
 * {@code {_id: <streamId>, token, changeId, epoch, lastSeq, positionTime, updatedAt}}. Written only after the
 * change it names was published, so a restart resumes after the last published change (at-least-once, never a
 * gap). {@code epoch}/{@code lastSeq} are the last published position (kept across skipped changes and idle
 * token saves), so a Redis that came back empty continues the sequence. {@code positionTime} is the store's time
 * of the change at {@code token}; when the token has aged out of the oplog, alerts changed since then are
 * re-published from the store.
 */
@ApplicationScoped
public class ResumeTokenStore implements PositionStore {

    private final MongoCollection<BsonDocument> collection;

    public ResumeTokenStore(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database,
            IngestConfig config) {
        this.collection = mongo.getDatabase(database)
                .getCollection(config.changeStream().stateCollection(), BsonDocument.class);
    }

    @Override
    public Optional<StoredPosition> load(String streamId) {
        BsonDocument state = collection.find(Filters.eq("_id", streamId)).first();
        if (state == null) {
            return Optional.empty();
        }
        BsonDocument token = state.isDocument("token") ? state.getDocument("token") : null;
        String changeId = state.isString("changeId") ? state.getString("changeId").getValue() : null;
        String epoch = state.isString("epoch") ? state.getString("epoch").getValue() : null;
        long lastSeq = number(state.get("lastSeq"));
        Instant positionTime = state.isDateTime("positionTime")
                ? Instant.ofEpochMilli(state.getDateTime("positionTime").getValue()) : null;
        return Optional.of(new StoredPosition(token, changeId, new SequencePosition(epoch, lastSeq), positionTime));
    }

    @Override
    public void save(String streamId, StoredPosition position) {
        BsonDocument document = new BsonDocument("_id", new BsonString(streamId));
        if (position.token() != null) {
            document.append("token", position.token());
        }
        if (position.changeId() != null) {
            document.append("changeId", new BsonString(position.changeId()));
        }
        if (position.sequence().epoch() != null) {
            document.append("epoch", new BsonString(position.sequence().epoch()));
        }
        document.append("lastSeq", new BsonInt64(position.sequence().lastSeq()));
        if (position.positionTime() != null) {
            document.append("positionTime", new BsonDateTime(position.positionTime().toEpochMilli()));
        }
        document.append("updatedAt", new BsonDateTime(Instant.now().toEpochMilli()));
        collection.replaceOne(Filters.eq("_id", streamId), document, new ReplaceOptions().upsert(true));
    }

    private static long number(BsonValue value) {
        if (value != null && value.isNumber()) {
            return value.asNumber().longValue();
        }
        return -1;
    }
}
