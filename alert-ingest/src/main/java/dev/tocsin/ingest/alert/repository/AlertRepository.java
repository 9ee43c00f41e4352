package dev.tocsin.ingest.alert.repository;

import io.quarkus.logging.Log;
import io.quarkus.mongodb.panache.PanacheMongoRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.runtime.StartupEvent;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Reads and writes {@code alerts}. Listing is newest first, with {@code _id} breaking ties of equal times. */
@ApplicationScoped
public class AlertRepository implements PanacheMongoRepository<AlertEntity> {

    private static final Document NEWEST_FIRST = new Document("createdAt", -1).append("_id", -1);

    /** Indexes that serve the listing and its filters; idempotent, so every replica may create them. */
    void createIndexes(@Observes StartupEvent event) {
        try {
            List<Bson> indexes = List.of(
                    Indexes.compoundIndex(Indexes.descending("createdAt"), Indexes.descending("_id")),
                    Indexes.compoundIndex(Indexes.ascending("priority"), Indexes.descending("createdAt")),
                    Indexes.compoundIndex(Indexes.ascending("type"), Indexes.descending("createdAt")));
            for (Bson index : indexes) {
                mongoCollection().createIndex(index, new IndexOptions().background(true));
            }
        } catch (RuntimeException e) {
            // Missing indexes slow the listing down but break nothing; the store may be unreachable at start.
            Log.warnf("could not create indexes on %s: %s", AlertEntity.COLLECTION, e.getMessage());
        }
    }

    public List<AlertEntity> list(AlertFilter filter, int page, int size) {
        return find(filter.toQuery(), NEWEST_FIRST).page(Page.of(page, size)).list();
    }

    public long count(AlertFilter filter) {
        return count(filter.toQuery());
    }

    /** Optional filters of the listing; null members do not filter. */
    public record AlertFilter(String priority, String type, Instant since) {
        Document toQuery() {
            Document query = new Document();
            if (priority != null) {
                query.append("priority", priority);
            }
            if (type != null) {
                query.append("type", type);
            }
            if (since != null) {
                query.append("createdAt", new Document("$gte", Date.from(since)));
            }
            return query;
        }
    }
}
