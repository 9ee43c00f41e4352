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
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertsClosed;
import dev.tocsin.ingest.common.mongo.TtlIndexes;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.protocol.json.Json;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.bson.types.ObjectId;
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

    /** Set on an alert's records when the alert is closed; a TTL index removes them then, with the alert. */
    static final String F_PURGE_AT = "purgeAt";

    private final MongoCollection<Document> collection;
    /** The alerts, read for the {@code purgeAt} of a closed alert whose records arrive late. */
    private final MongoCollection<Document> alerts;

    public DeliveryRepository(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.collection = mongo.getDatabase(database).getCollection(COLLECTION);
        this.alerts = mongo.getDatabase(database).getCollection(AlertEntity.COLLECTION);
    }

    void createIndexes(@Observes StartupEvent event) {
        try {
            collection.createIndex(Indexes.compoundIndex(Indexes.ascending("alertId"), Indexes.descending("at")),
                    new IndexOptions().background(true));
            TtlIndexes.ensure(collection, F_PURGE_AT, 0);
        } catch (RuntimeException e) {
            Log.warnf("could not create indexes on %s: %s", COLLECTION, e.getMessage());
        }
    }

    /** Gives the records of alerts that were just closed the alerts' {@code purgeAt}. */
    void alertsClosed(@Observes AlertsClosed event) {
        collection.updateMany(Filters.in("alertId", event.alertIds()),
                Updates.set(F_PURGE_AT, Date.from(event.purgeAt())));
    }

    /**
     * The {@code purgeAt} of the alert if it is closed already (a record that arrives after the closing gets the
     * same; one read per write, by {@code _id}).
     */
    private Date purgeAtOf(String alertId) {
        if (alertId == null || !ObjectId.isValid(alertId)) {
            return null;
        }
        Document alert = alerts.find(Filters.eq("_id", new ObjectId(alertId)))
                .projection(Projections.include(F_PURGE_AT)).first();
        return alert == null ? null : alert.getDate(F_PURGE_AT);
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
        Date purgeAt = purgeAtOf(record.alertId());
        if (purgeAt != null) {
            document.put(F_PURGE_AT, purgeAt);
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
        Date purgeAt = purgeAtOf(template.alertId());
        if (purgeAt != null) {
            encoded.put(F_PURGE_AT, purgeAt);
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

    /** The alert's records on these channels (wire names), newest first, at most {@code limit}. */
    public List<DeliveryRecord> forAlert(String alertId, List<String> channels, int limit) {
        return read(Filters.and(Filters.eq("alertId", alertId), Filters.in("channel", channels)), limit);
    }

    /** The alert's records, newest first, at most {@code limit}. */
    public List<DeliveryRecord> forAlert(String alertId, int limit) {
        return read(Filters.eq("alertId", alertId), limit);
    }

    private List<DeliveryRecord> read(org.bson.conversions.Bson filter, int limit) {
        List<DeliveryRecord> records = new ArrayList<>();
        for (Document document : collection.find(filter)
                .sort(Sorts.orderBy(Sorts.descending("at"), Sorts.descending("attempts"))).limit(limit)) {
            document.remove("_id");
            document.remove(F_PURGE_AT);
            records.add(Json.convert(document, DeliveryRecord.class));
        }
        return records;
    }
}
