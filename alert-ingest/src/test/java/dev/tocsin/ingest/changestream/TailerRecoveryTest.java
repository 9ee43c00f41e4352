package dev.tocsin.ingest.changestream;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tailer's recovery paths on the embedded MongoDB server and a real redis-server: a change replayed after a
 * crash between publish and saving its position is published once; a quiet stream; a graceful stop stores the
 * position of the change in hand.
 */
class TailerRecoveryTest {

    private TailerFixture parts;

    @BeforeEach
    void start() {
        parts = TailerFixture.start(Map.of("tocsin.ingest.change-stream.idle-token-save-interval", "100ms"));
    }

    @AfterEach
    void stop() throws Exception {
        parts.close();
    }

    @Test
    void aChangeReplayedAfterACrashBeforeItsPositionWasStoredIsPublishedOnce() {
        ChangeStreamTailer first = parts.newTailer();
        first.start();
        await().atMost(TailerFixture.DEADLINE).until(first.status()::isOpen);
        parts.insert("a");
        AlertEvent a = parts.awaitHistory(1).get(0);
        Document stateAfterA = parts.awaitStoredChange(a.changeId());
        parts.insert("b");
        AlertEvent b = parts.awaitHistory(2).get(1);
        parts.awaitStoredChange(b.changeId());
        first.stop();

        // As if the process died after publishing b but before storing b's position.
        parts.state.replaceOne(Filters.eq("_id", "alerts"), stateAfterA, new ReplaceOptions().upsert(true));

        ChangeStreamTailer second = parts.newTailer();
        second.start();
        try {
            await().atMost(TailerFixture.DEADLINE).until(() -> b.changeId().equals(second.status().lastChangeId()));
            ObjectId c = parts.insert("c");
            List<AlertEvent> history = parts.awaitHistory(3);
            assertEquals(3, history.size(), "b is not published again: " + history);
            assertEquals(List.of(a.changeId(), b.changeId()), history.subList(0, 2).stream().map(AlertEvent::changeId).toList());
            assertEquals(c.toHexString(), history.get(2).alertId());
            assertEquals(b.seq() + 1, history.get(2).seq(), "no position was used up by the replay");
            assertEquals(1.0, parts.registry.counter("tocsin.ingest.changes.skipped", "reason", "duplicate").count());
        } finally {
            second.stop();
        }
    }

    @Test
    void aQuietStreamKeepsRunningAndItsStoredPositionStaysValid() {
        ChangeStreamTailer tailer = parts.newTailer();
        tailer.start();
        try {
            await().atMost(TailerFixture.DEADLINE).until(tailer.status()::isOpen);
            parts.insert("only one");
            AlertEvent only = parts.awaitHistory(1).get(0);
            Document stored = parts.awaitStoredChange(only.changeId());
            // Many idle polls (interval 100 ms, max-await 200 ms). The embedded server sends no post-batch token,
            // so the cursor's token stays the last event's and nothing is rewritten; a replica set's advancing
            // post-batch token would be stored here with the same changeId, epoch and lastSeq.
            await().pollDelay(Duration.ofMillis(1500)).atMost(TailerFixture.DEADLINE).until(tailer.status()::isOpen);
            Document later = parts.storedState();
            assertEquals(stored.get("token"), later.get("token"));
            assertEquals(only.changeId(), later.getString("changeId"));
            assertEquals(only.seq(), later.getLong("lastSeq"));
            assertEquals(only.epoch(), later.getString("epoch"));
            assertTrue(later.get("positionTime") != null, "the position's time is stored for history-lost replays");
        } finally {
            tailer.stop();
        }
    }

    @Test
    void aGracefulStopStoresThePositionOfEveryPublishedChange() {
        ChangeStreamTailer tailer = parts.newTailer();
        tailer.start();
        await().atMost(TailerFixture.DEADLINE).until(tailer.status()::isOpen);
        for (int i = 0; i < 20; i++) {
            parts.insert("burst " + i);
        }
        await().atMost(TailerFixture.DEADLINE).until(() -> parts.history().size() >= 5);
        tailer.stop(); // mid-burst
        List<AlertEvent> published = parts.history();
        AlertEvent last = published.get(published.size() - 1);
        Document stored = parts.storedState();
        assertEquals(last.changeId(), stored.getString("changeId"), "the last published change's position is stored");
        assertEquals(last.seq(), stored.getLong("lastSeq"));

        ChangeStreamTailer next = parts.newTailer();
        next.start();
        try {
            List<AlertEvent> all = parts.awaitHistory(20);
            assertEquals(20, all.size());
            for (int i = 1; i < all.size(); i++) {
                assertEquals(all.get(i - 1).seq() + 1, all.get(i).seq());
                assertEquals(ChangeOp.CREATED, all.get(i).op());
            }
            assertEquals(0.0, parts.registry.counter("tocsin.ingest.changes.skipped", "reason", "duplicate").count(),
                    "nothing had to be replayed");
        } finally {
            next.stop();
        }
    }

    @Test
    void eventsRedisLostAfterAFailoverArePublishedAgainFromTheChangeStream() {
        ChangeStreamTailer tailer = parts.newTailer();
        tailer.start();
        try {
            await().atMost(TailerFixture.DEADLINE).until(tailer.status()::isOpen);
            parts.insert("a");
            parts.insert("b");
            parts.insert("c");
            List<AlertEvent> before = parts.awaitHistory(3);
            AlertEvent a = before.get(0);
            AlertEvent b = before.get(1);
            AlertEvent c = before.get(2);
            parts.awaitStoredChange(c.changeId());

            // The promoted replica had received a but neither b nor c: history, counter and de-duplication keys
            // are as they were after a (the script's writes replicate as one).
            for (AlertEvent lost : List.of(b, c)) {
                send(Request.cmd(Command.XDEL).arg("tocsin:history").arg(lost.seq() + "-0"));
                send(Request.cmd(Command.DEL).arg("tocsin:change:" + lost.changeId()));
            }
            send(Request.cmd(Command.SET).arg("tocsin:seq").arg(String.valueOf(a.seq())));

            ObjectId d = parts.insert("d");
            List<AlertEvent> after = parts.awaitHistory(4);
            assertEquals(List.of(a.changeId(), b.changeId(), c.changeId()),
                    after.subList(0, 3).stream().map(AlertEvent::changeId).toList(),
                    "b and c are published again, in their order: " + after);
            assertEquals(List.of(c.seq() + 1, c.seq() + 2), List.of(after.get(1).seq(), after.get(2).seq()),
                    "at positions after the stored one: no position is handed out twice");
            assertEquals(d.toHexString(), after.get(3).alertId());
            assertEquals(c.seq() + 3, after.get(3).seq());
            assertEquals(a.epoch(), after.get(3).epoch(), "the epoch stays");
        } finally {
            tailer.stop();
        }
    }

    private void send(Request request) {
        parts.redis.send(request).await().atMost(TailerFixture.DEADLINE);
    }
}
