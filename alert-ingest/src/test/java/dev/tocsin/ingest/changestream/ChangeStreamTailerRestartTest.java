package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tailer outside Quarkus, on the embedded MongoDB server and a real redis-server: resuming after a restart
 * from the stored position, and holding a change (never skipping it) while Redis is down.
 */
class ChangeStreamTailerRestartTest {

    private static final Duration DEADLINE = TailerFixture.DEADLINE;

    private TailerFixture parts;
    private MongoCollection<Document> alerts;

    @BeforeEach
    void start() {
        parts = TailerFixture.start(Map.of());
        alerts = parts.alerts;
    }

    @AfterEach
    void stop() throws Exception {
        parts.close();
    }

    @Test
    void resumesAfterTheStoredPositionWithoutRepeatingOrSkipping() {
        ChangeStreamTailer first = parts.newTailer();
        first.start();
        await().atMost(DEADLINE).until(first.status()::isOpen);
        ObjectId a = parts.insert("a");
        AlertEvent eventA = parts.awaitHistory(1).get(0);
        assertEquals(a.toHexString(), eventA.alertId());
        await().atMost(DEADLINE).until(() -> eventA.changeId().equals(first.status().lastChangeId()));
        first.stop();

        // Written while no tailer runs.
        ObjectId b = parts.insert("b");
        alerts.updateOne(Filters.eq("_id", b), Updates.set("title", "b2"));
        ObjectId c = parts.insert("c");
        alerts.deleteOne(Filters.eq("_id", a));

        ChangeStreamTailer second = parts.newTailer();
        second.start();
        try {
            List<AlertEvent> history = parts.awaitHistory(5);
            assertEquals(5, history.size(), "nothing repeated: " + history);
            assertEquals(List.of(ChangeOp.CREATED, ChangeOp.CREATED, ChangeOp.UPDATED, ChangeOp.CREATED, ChangeOp.DELETED),
                    history.stream().map(AlertEvent::op).toList());
            assertEquals(List.of(a.toHexString(), b.toHexString(), b.toHexString(), c.toHexString(), a.toHexString()),
                    history.stream().map(AlertEvent::alertId).toList());
            assertEquals("b2", history.get(2).alert().title());
            for (int i = 1; i < history.size(); i++) {
                assertEquals(history.get(i - 1).seq() + 1, history.get(i).seq());
            }
            Document state = parts.storedState();
            assertEquals(history.get(4).changeId(), state.getString("changeId"));
            assertEquals(history.get(4).seq(), state.getLong("lastSeq"));
        } finally {
            second.stop();
        }
    }

    @Test
    void aBacklogIsPublishedInOrderAndAStopWithinItStoresTheLastPublishedChange() {
        ChangeStreamTailer first = parts.newTailer();
        first.start();
        await().atMost(DEADLINE).until(first.status()::isOpen);
        parts.insert("first");
        parts.awaitStoredChange(parts.awaitHistory(1).get(0).changeId());
        first.stop();

        // Written while no tailer runs: the next one reads them in batches, one position store per batch.
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add(parts.insert("backlog " + i).toHexString());
        }
        ChangeStreamTailer second = parts.newTailer();
        second.start();
        parts.awaitHistory(50);
        second.stop(); // most likely within a batch
        List<AlertEvent> published = parts.history();
        assertEquals(published.get(published.size() - 1).changeId(), parts.storedState().getString("changeId"),
                "a graceful stop stores the last published change, also within a batch");

        ChangeStreamTailer third = parts.newTailer();
        third.start();
        try {
            List<AlertEvent> history = parts.awaitHistory(301);
            assertEquals(301, history.size(), "nothing published twice");
            assertEquals(ids, history.subList(1, 301).stream().map(AlertEvent::alertId).toList(), "in order, none skipped");
            for (int i = 1; i < history.size(); i++) {
                assertEquals(history.get(i - 1).seq() + 1, history.get(i).seq());
            }
            parts.awaitStoredChange(history.get(300).changeId());
            assertEquals(0, parts.registry.counter("tocsin.ingest.changes.skipped", "reason", "duplicate").count(),
                    "no change was republished after the graceful stop");
        } finally {
            third.stop();
        }
    }

    @Test
    void holdsAChangeWhileRedisIsDownAndPublishesItAfterwards() {
        ChangeStreamTailer tailer = parts.newTailer();
        tailer.start();
        try {
            await().atMost(DEADLINE).until(tailer.status()::isOpen);
            parts.insert("before");
            AlertEvent before = parts.awaitHistory(1).get(0);

            parts.redisServer.stop();
            ObjectId during = parts.insert("during outage");
            ObjectId after = parts.insert("queued behind it");
            await().atMost(DEADLINE).until(() -> parts.registry.counter("tocsin.ingest.publish.failures").count() >= 2);
            Document state = parts.storedState();
            assertEquals(before.changeId(), state.getString("changeId"), "the position did not move past the unpublished change");

            parts.redisServer.start(); // same port, empty: the sequence continues from the stored position
            List<AlertEvent> history = parts.awaitHistory(2);
            assertEquals(List.of(during.toHexString(), after.toHexString()),
                    history.stream().map(AlertEvent::alertId).toList(), "published in order, none skipped");
            assertEquals(before.seq() + 1, history.get(0).seq(), "seq continues across the Redis restart");
            assertEquals(before.seq() + 2, history.get(1).seq());
            assertEquals(before.epoch(), history.get(0).epoch(), "same epoch: positions stay comparable");
            assertEquals(before.epoch(), history.get(1).epoch());
            Document stored = parts.awaitStoredChange(history.get(1).changeId());
            assertEquals(before.epoch(), stored.getString("epoch"));
            assertEquals(history.get(1).seq(), stored.getLong("lastSeq"));
            assertTrue(parts.registry.counter("tocsin.ingest.events.published", "op", "created").count() >= 3);
        } finally {
            tailer.stop();
        }
    }
}
