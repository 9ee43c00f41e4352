package dev.tocsin.localinfra;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class EmbeddedMongoTest {

    @Test
    void trimmingTheOplogDropsOnlyOldEntriesAndChangeStreamsGoOn() {
        try (EmbeddedMongo mongo = EmbeddedMongo.start();
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> things = client.getDatabase("test").getCollection("things");
            MongoCollection<Document> oplog = client.getDatabase("local").getCollection("oplog.rs");
            for (int i = 0; i < 3; i++) {
                things.insertOne(new Document("n", i));
            }
            assertEquals(3, oplog.countDocuments());

            assertEquals(0, mongo.trimOplog(Duration.ofHours(1)), "entries younger than an hour stay");
            assertEquals(3, oplog.countDocuments());

            // A negative age puts the cut in the future: every entry is older (timestamps have second precision).
            assertEquals(3, mongo.trimOplog(Duration.ofSeconds(-2)));
            assertEquals(0, oplog.countDocuments());
            assertEquals(3, things.countDocuments(), "the collection itself is untouched");

            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = things.watch().cursor()) {
                things.insertOne(new Document("n", 3));
                ChangeStreamDocument<Document> change = nextChange(stream);
                assertNotNull(change, "a change stream opened after the trim sees new changes");
                assertEquals(3, change.getFullDocument().getInteger("n"));
            }
        }
    }

    @Test
    void anOplogLimitedToNamespacesRecordsOnlyTheirWritesAndStreamsThem() {
        try (EmbeddedMongo mongo = EmbeddedMongo.start(0, java.util.Set.of("test.watched"));
             MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> watched = client.getDatabase("test").getCollection("watched");
            MongoCollection<Document> other = client.getDatabase("test").getCollection("other");
            MongoCollection<Document> oplog = client.getDatabase("local").getCollection("oplog.rs");
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream = watched.watch().cursor()) {
                for (int i = 0; i < 3; i++) {
                    other.insertOne(new Document("n", i));
                }
                watched.insertOne(new Document("n", 1));

                assertEquals(1, oplog.countDocuments(new Document("ns", "test.watched")));
                assertEquals(0, oplog.countDocuments(new Document("ns", "test.other")));
                assertEquals(3, other.countDocuments(), "the collection itself is written");

                ChangeStreamDocument<Document> change = nextChange(stream);
                assertNotNull(change, "the watched collection's change is streamed");
                assertEquals(1, change.getFullDocument().getInteger("n"));
            }
        }
    }

    /** The stream's next change, waiting up to 10 s (null when none came). */
    private static ChangeStreamDocument<Document> nextChange(MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream) {
        ChangeStreamDocument<Document> change = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (change == null && System.nanoTime() < deadline) {
            change = stream.tryNext();
        }
        return change;
    }
}
