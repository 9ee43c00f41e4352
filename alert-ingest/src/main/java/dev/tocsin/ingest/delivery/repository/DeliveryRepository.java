package dev.tocsin.ingest.delivery.repository;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.protocol.json.Json;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * The {@code deliveries} collection: one document per (alertId, user, channel, step), which is its {@code _id},
 * so a redelivered command overwrites instead of duplicating. Other fields are the {@link DeliveryRecord} JSON,
 * with {@code at} as a BSON date.
 */
@ApplicationScoped
public class DeliveryRepository {

    public static final String COLLECTION = "deliveries";

    private final MongoCollection<Document> collection;

    public DeliveryRepository(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.collection = mongo.getDatabase(database).getCollection(COLLECTION);
    }

    void createIndexes(@Observes StartupEvent event) {
        try {
            collection.createIndex(Indexes.compoundIndex(Indexes.ascending("alertId"), Indexes.descending("at")),
                    new IndexOptions().background(true));
        } catch (RuntimeException e) {
            Log.warnf("could not create indexes on %s: %s", COLLECTION, e.getMessage());
        }
    }

    /** Inserts or overwrites the record under its key. */
    public void upsert(DeliveryRecord record) {
        Document key = new Document("alertId", record.alertId())
                .append("user", record.user())
                .append("channel", record.channel().name().toLowerCase(Locale.ROOT))
                .append("step", record.step());
        Document document = new Document("_id", key);
        document.putAll(Document.parse(Json.encode(record)));
        if (record.at() != null) {
            document.put("at", Date.from(record.at()));
        }
        collection.replaceOne(Filters.eq("_id", key), document, new ReplaceOptions().upsert(true));
    }

    /**
     * Inserts or overwrites the records of {@code template} for each of {@code users} (the template's own user is
     * ignored), in one unordered bulk write: one round trip for a broadcast's deliveries.
     */
    public void upsertAll(DeliveryRecord template, List<String> users) {
        Document encoded = Document.parse(Json.encode(template));
        if (template.at() != null) {
            encoded.put("at", Date.from(template.at()));
        }
        String channel = template.channel().name().toLowerCase(Locale.ROOT);
        List<ReplaceOneModel<Document>> writes = new ArrayList<>(users.size());
        ReplaceOptions upsert = new ReplaceOptions().upsert(true);
        for (String user : users) {
            Document key = new Document("alertId", template.alertId()).append("user", user).append("channel", channel)
                    .append("step", template.step());
            Document document = new Document("_id", key);
            document.putAll(encoded);
            document.put("user", user);
            writes.add(new ReplaceOneModel<>(Filters.eq("_id", key), document, upsert));
        }
        if (!writes.isEmpty()) {
            collection.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        }
    }

    /** The alert's records, newest first, at most {@code limit}. */
    public List<DeliveryRecord> forAlert(String alertId, int limit) {
        List<DeliveryRecord> records = new ArrayList<>();
        for (Document document : collection.find(Filters.eq("alertId", alertId))
                .sort(Sorts.orderBy(Sorts.descending("at"), Sorts.descending("attempts"))).limit(limit)) {
            document.remove("_id");
            records.add(Json.convert(document, DeliveryRecord.class));
        }
        return records;
    }
}
