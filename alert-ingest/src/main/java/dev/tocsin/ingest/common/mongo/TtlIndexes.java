package dev.tocsin.ingest.common.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.logging.Log;
import org.bson.Document;

import java.util.concurrent.TimeUnit;

/**
 * Creates the TTL index that lets MongoDB remove documents whose date field has passed: its TTL monitor (every 60 s
 * on a real server) deletes a document once {@code field} is more than {@code expireAfterSeconds} in the past; a
 * document without the field is never removed. Idempotent, so every replica runs it at start. An existing index on
 * the same key with other options (another {@code expireAfterSeconds}, or none) is dropped and recreated: MongoDB
 * refuses a second index on the same key, and the configured retention must win.
 */
public final class TtlIndexes {

    private TtlIndexes() {
    }

    public static void ensure(MongoCollection<?> collection, String field, long expireAfterSeconds) {
        String name = field + "_ttl";
        for (Document index : collection.listIndexes()) {
            Object key = index.get("key");
            if (key instanceof Document keys && keys.size() == 1 && keys.containsKey(field)) {
                Number current = index.get("expireAfterSeconds", Number.class);
                if (current != null && current.longValue() == expireAfterSeconds && name.equals(index.getString("name"))) {
                    return;
                }
                Log.infof("replacing index %s on %s (expireAfterSeconds %s) by a TTL index of %d s",
                        index.getString("name"), collection.getNamespace(), current, expireAfterSeconds);
                collection.dropIndex(index.getString("name"));
            }
        }
        try {
            collection.createIndex(Indexes.ascending(field),
                    new IndexOptions().name(name).expireAfter(expireAfterSeconds, TimeUnit.SECONDS).background(true));
        } catch (MongoCommandException e) {
            // Another replica created it between our look and our create: the same definition, nothing to do.
            Log.infof("TTL index %s on %s not created here: %s", name, collection.getNamespace(), e.getMessage());
        }
    }
}
