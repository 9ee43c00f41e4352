package dev.tocsin.ingest.alert.repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tocsin.ingest.common.mongo.TtlIndexes;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * The {@code idempotency_keys} collection: one document per (caller, key), which is its {@code _id}, naming the alert
 * the first request with that key creates. The unique {@code _id} makes MongoDB decide between concurrent requests with
 * the same key: exactly one insert succeeds, every other one gets a duplicate-key error and reads the winner's claim.
 * {@code expiresAt} carries a TTL index (expireAfterSeconds 0); a claim past it counts as free even before the TTL
 * monitor removes it.
 */
@ApplicationScoped
public class IdempotencyKeyRepository {

    public static final String COLLECTION = "idempotency_keys";
    static final String F_ALERT_ID = "alertId";
    static final String F_REQUEST_HASH = "requestHash";
    static final String F_CLAIMED_AT = "claimedAt";
    static final String F_EXPIRES_AT = "expiresAt";

    private final MongoCollection<Document> collection;

    public IdempotencyKeyRepository(MongoClient mongo,
            @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.collection = mongo.getDatabase(database).getCollection(COLLECTION);
    }

    void createIndexes(@Observes StartupEvent event) {
        try {
            TtlIndexes.ensure(collection, F_EXPIRES_AT, 0);
        } catch (RuntimeException e) {
            Log.warnf("could not create indexes on %s: %s", COLLECTION, e.getMessage());
        }
    }

    /**
     * Claims {@code key} of {@code caller} for {@code alertId}. Empty when this call claimed it (the caller now
     * creates the alert); otherwise the claim that holds the key.
     */
    public Optional<Claim> claim(String caller, String key, String requestHash, ObjectId alertId, Instant now,
            Instant expiresAt) {
        Document id = id(caller, key);
        Document claim = new Document("_id", id).append(F_ALERT_ID, alertId).append(F_REQUEST_HASH, requestHash)
                .append(F_CLAIMED_AT, Date.from(now)).append(F_EXPIRES_AT, Date.from(expiresAt));
        while (true) {
            try {
                collection.insertOne(claim);
                return Optional.empty();
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            Document held = collection.find(Filters.eq("_id", id)).first();
            if (held == null) {
                continue; // expired and removed in between: try again
            }
            Date heldUntil = held.getDate(F_EXPIRES_AT);
            if (heldUntil != null && !heldUntil.toInstant().isAfter(now)) {
                // Past its period but not removed yet: free. Conditional, so of two callers only one frees it.
                collection.deleteOne(Filters.and(Filters.eq("_id", id), Filters.eq(F_EXPIRES_AT, heldUntil)));
                continue;
            }
            return Optional.of(new Claim(held.getObjectId(F_ALERT_ID), held.getString(F_REQUEST_HASH),
                    held.getDate(F_CLAIMED_AT).toInstant()));
        }
    }

    /**
     * Moves a claim whose alert never appeared (its request died between claim and insert) to {@code alertId};
     * true when this call did (conditional on the old alert id: of concurrent callers exactly one takes over).
     */
    public boolean takeOver(String caller, String key, ObjectId abandoned, ObjectId alertId, Instant now) {
        return collection.updateOne(Filters.and(Filters.eq("_id", id(caller, key)), Filters.eq(F_ALERT_ID, abandoned)),
                Updates.combine(Updates.set(F_ALERT_ID, alertId), Updates.set(F_CLAIMED_AT, Date.from(now))))
                .getModifiedCount() == 1;
    }

    /** Gives the key up again when the alert it was claimed for could not be stored. */
    public void release(String caller, String key, ObjectId alertId) {
        collection.deleteOne(Filters.and(Filters.eq("_id", id(caller, key)), Filters.eq(F_ALERT_ID, alertId)));
    }

    private static Document id(String caller, String key) {
        return new Document("caller", caller).append("key", key);
    }

    /** Who holds a key: the alert its first request creates, that request's fingerprint, and when it claimed it. */
    public record Claim(ObjectId alertId, String requestHash, Instant claimedAt) {
    }
}
