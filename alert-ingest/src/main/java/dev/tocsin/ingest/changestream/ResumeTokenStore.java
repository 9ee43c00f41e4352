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
public class ResumeTokenStore {

    private final MongoCollection<BsonDocument> collection;

    public ResumeTokenStore(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database,
            IngestConfig config) {
        this.collection = mongo.getDatabase(database)
                .getCollection(config.changeStream().stateCollection(), BsonDocument.class);
    }

    /** One stored position. {@code token} may be null (a position without a token: start from now). */
    public record State(BsonDocument token, String changeId, SequencePosition sequence, Instant positionTime) {
    }

    public Optional<State> load(String streamId) {
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
        return Optional.of(new State(token, changeId, new SequencePosition(epoch, lastSeq), positionTime));
    }

    public void save(String streamId, State state) {
        BsonDocument document = new BsonDocument("_id", new BsonString(streamId));
        if (state.token() != null) {
            document.append("token", state.token());
        }
        if (state.changeId() != null) {
            document.append("changeId", new BsonString(state.changeId()));
        }
        if (state.sequence().epoch() != null) {
            document.append("epoch", new BsonString(state.sequence().epoch()));
        }
        document.append("lastSeq", new BsonInt64(state.sequence().lastSeq()));
        if (state.positionTime() != null) {
            document.append("positionTime", new BsonDateTime(state.positionTime().toEpochMilli()));
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
