package dev.tocsin.relay.dispatch;

import com.mongodb.client.model.Filters;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.json.CodecException;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.user.ContactChannels;
import io.quarkus.logging.Log;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads users' contact channels from MongoDB collection {@code user_channels} ({@code _id} = user id), written by
 * alert-ingest. The relay only ever reads it.
 */
@Singleton
public class ContactDirectory {

    static final String COLLECTION = "user_channels";

    private final ReactiveMongoCollection<Document> channels;

    public ContactDirectory(ReactiveMongoClient mongo,
                            @ConfigProperty(name = "quarkus.mongodb.database", defaultValue = "tocsin") String database) {
        this.channels = mongo.getDatabase(database).getCollection(COLLECTION);
    }

    /** Users addressed by the audience that have contact channels: listed users and members of listed groups. */
    public Multi<ContactChannels> recipients(Audience audience) {
        if (audience.everyone()) {
            return decode(channels.find());
        }
        List<Bson> any = new ArrayList<>();
        if (!audience.users().isEmpty()) {
            any.add(Filters.in("_id", audience.users()));
        }
        if (!audience.groups().isEmpty()) {
            any.add(Filters.in("groups", audience.groups()));
        }
        if (any.isEmpty()) {
            return Multi.createFrom().empty();
        }
        return decode(channels.find(any.size() == 1 ? any.get(0) : Filters.or(any)));
    }

    /** These users' channels (those that have a document). */
    public Multi<ContactChannels> users(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return Multi.createFrom().empty();
        }
        return decode(channels.find(Filters.in("_id", List.copyOf(ids))));
    }

    /** Members of a group (escalation group). */
    public Multi<ContactChannels> members(String group) {
        if (group == null || group.isBlank()) {
            return Multi.createFrom().empty();
        }
        return decode(channels.find(Filters.eq("groups", group)));
    }

    private static Multi<ContactChannels> decode(Multi<Document> documents) {
        return documents.onItem().transformToUniAndConcatenate(document -> {
            String id = String.valueOf(document.get("_id"));
            try {
                ContactChannels c = Json.convert(document, ContactChannels.class);
                return io.smallrye.mutiny.Uni.createFrom().item(c.userId() != null ? c
                        : new ContactChannels(id, c.telegramChatId(), c.fcmTokens(), c.minPriority(), c.quietHours(),
                                c.groups(), c.updatedAt()));
            } catch (CodecException e) {
                // one bad document must not stop the others; the message names the field, not the value
                Log.warnf("Skipping user_channels document %s: %s", id, e.getMessage());
                return io.smallrye.mutiny.Uni.createFrom().nullItem();
            }
        }).filter(java.util.Objects::nonNull);
    }
}
