package dev.tocsin.ingest.user.repository;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.user.ContactChannels;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * The {@code user_channels} collection: one document per user, {@code _id} = user id, the other fields exactly
 * as {@link ContactChannels} encodes to JSON (with {@code updatedAt} as a BSON date). notification-relay reads
 * it with {@code Json.convert(document, ContactChannels.class)}, so the shape is written by the same codec.
 */
@ApplicationScoped
public class UserChannelsRepository {

    public static final String COLLECTION = "user_channels";

    private final MongoCollection<Document> collection;

    public UserChannelsRepository(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.collection = mongo.getDatabase(database).getCollection(COLLECTION);
    }

    public Optional<ContactChannels> find(String userId) {
        Document document = collection.find(Filters.eq("_id", userId)).first();
        return Optional.ofNullable(document).map(UserChannelsRepository::fromDocument);
    }

    public void save(ContactChannels channels) {
        collection.replaceOne(Filters.eq("_id", channels.userId()), toDocument(channels),
                new ReplaceOptions().upsert(true));
    }

    /** True when a document was deleted. */
    public boolean delete(String userId) {
        return collection.deleteOne(Filters.eq("_id", userId)).getDeletedCount() > 0;
    }

    /** Drops one FCM token from the user's channels; true when it was there. Idempotent. */
    public boolean removeFcmToken(String userId, String token, Instant at) {
        return collection.updateOne(Filters.and(Filters.eq("_id", userId), Filters.eq("fcmTokens", token)),
                Updates.combine(Updates.pull("fcmTokens", token), Updates.set("updatedAt", Date.from(at))))
                .getModifiedCount() > 0;
    }

    static Document toDocument(ContactChannels channels) {
        Document fields = Document.parse(Json.encode(channels));
        Document document = new Document("_id", channels.userId());
        document.putAll(fields);
        if (channels.updatedAt() != null) {
            document.put("updatedAt", Date.from(channels.updatedAt()));
        }
        return document;
    }

    static ContactChannels fromDocument(Document document) {
        return Json.convert(document, ContactChannels.class);
    }
}
