package dev.tocsin.ingest.changestream;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.set;
import static dev.tocsin.ingest.changestream.TailerFixture.DEADLINE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A tailer resting between polls on a server that answers an empty poll at once (the embedded server) is woken by
 * this process's writes to {@code alerts}, which {@link AlertWriteListener} sees on the client.
 */
class AlertWriteWakeTest {

    private TailerFixture parts;
    private ChangeStreamTailer tailer;

    @AfterEach
    void stop() throws Exception {
        if (tailer != null) {
            tailer.stop();
        }
        if (parts != null) {
            parts.close();
        }
    }

    @Test
    void acknowledgedWritesToAlertsAreSignalledAndNoOthers() {
        parts = TailerFixture.start(Map.of());
        ObjectId id = parts.insert("one");
        assertEquals(1, parts.alertWrites.writes(), "insert");
        parts.alerts.updateOne(eq("_id", id), set("title", "two"));
        assertEquals(2, parts.alertWrites.writes(), "update");
        parts.alerts.findOneAndUpdate(eq("_id", id), set("title", "three"));
        assertEquals(3, parts.alertWrites.writes(), "findAndModify");

        parts.alerts.find(eq("_id", id)).first();
        parts.mongo.getDatabase(TailerFixture.DB).getCollection("other").insertOne(new Document("x", 1));
        parts.state.insertOne(new Document("_id", "unrelated"));
        assertEquals(3, parts.alertWrites.writes(), "reads and other collections are not alert writes");

        parts.alerts.deleteOne(eq("_id", id));
        assertEquals(4, parts.alertWrites.writes(), "delete");
    }

    @Test
    void aTailerRestingBetweenPollsPublishesThisProcessesWriteAtOnce() {
        // A rest of ten minutes: only the signal can end it within the deadline.
        parts = TailerFixture.start(Map.of("tocsin.ingest.change-stream.idle-poll-interval", "10m"));
        tailer = parts.newTailer();
        tailer.start();
        await().atMost(DEADLINE).until(AlertWriteWakeTest::tailerIsResting);

        ObjectId id = parts.insert("wakes the tailer");

        assertEquals(id.toHexString(), parts.awaitHistory(1).get(0).alertId());
    }

    /** The tailer's thread waits in its idle rest (the embedded server answered an empty poll). */
    private static boolean tailerIsResting() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("tocsin-change-stream"))
                .anyMatch(e -> Arrays.stream(e.getValue())
                        .anyMatch(frame -> frame.getMethodName().equals("pauseUntilWoken")));
    }
}
