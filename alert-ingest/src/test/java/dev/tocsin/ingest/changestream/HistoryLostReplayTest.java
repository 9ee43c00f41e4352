package dev.tocsin.ingest.changestream;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import io.netty.channel.Channel;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stored resume token aged out of the oplog. The embedded server keeps its whole oplog, so it cannot produce
 * ChangeStreamHistoryLost by itself; this test runs it with a backend that answers a change stream opened after
 * one particular token with the error a replica set gives (code 286), exactly as a rolled-over oplog would.
 */
class HistoryLostReplayTest {

    private static final String LOST_TOKEN = "82000000010000000001";

    /** The in-memory backend, except that resuming after {@link #LOST_TOKEN} fails like a rolled-over oplog. */
    static final class RolledOverOplogBackend extends MemoryBackend {
        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            if ("aggregate".equalsIgnoreCase(command) && resumesAfterLostToken(query)) {
                throw new MongoServerError(286, "ChangeStreamHistoryLost",
                        "Resume of change stream was not possible, as the resume point may no longer be in the oplog.");
            }
            return super.handleCommand(channel, database, command, query);
        }

        private static boolean resumesAfterLostToken(Document query) {
            Object pipeline = query.get("pipeline");
            if (!(pipeline instanceof List<?> stages) || stages.isEmpty() || !(stages.get(0) instanceof Document first)) {
                return false;
            }
            Object changeStream = first.get("$changeStream");
            if (!(changeStream instanceof Document options)) {
                return false;
            }
            for (String key : List.of("startAfter", "resumeAfter")) {
                if (options.get(key) instanceof Document token && LOST_TOKEN.equals(token.get("_data"))) {
                    return true;
                }
            }
            return false;
        }
    }

    private TailerFixture parts;

    @BeforeEach
    void start() {
        MongoServer mongoServer = new MongoServer(new RolledOverOplogBackend());
        mongoServer.enableOplog();
        mongoServer.bind("127.0.0.1", 0);
        parts = TailerFixture.start("mongodb://127.0.0.1:" + mongoServer.getLocalAddress().getPort(),
                mongoServer::shutdownNow, Map.of("tocsin.ingest.change-stream.replay-margin", "1m"));
    }

    @AfterEach
    void stop() throws Exception {
        parts.close();
    }

    @Test
    void alertsChangedSinceTheLostPositionAreRepublishedThenTheStreamContinues() {
        Instant positionTime = Instant.now().minus(Duration.ofHours(1));
        // Changed long before the stored position (already published then), and two after it (never published).
        parts.insert("long ago", positionTime.minus(Duration.ofDays(2)));
        ObjectId first = parts.insert("after the position", positionTime.plus(Duration.ofMinutes(5)));
        ObjectId second = parts.insert("later still", positionTime.plus(Duration.ofMinutes(30)));
        parts.state.replaceOne(Filters.eq("_id", "alerts"), new org.bson.Document("_id", "alerts")
                        .append("token", new org.bson.Document("_data", LOST_TOKEN))
                        .append("changeId", LOST_TOKEN).append("epoch", "e-stored").append("lastSeq", 41L)
                        .append("positionTime", Date.from(positionTime)),
                new ReplaceOptions().upsert(true));

        ChangeStreamTailer tailer = parts.newTailer();
        tailer.start();
        try {
            List<AlertEvent> replayed = parts.awaitHistory(2);
            assertEquals(List.of(first.toHexString(), second.toHexString()),
                    replayed.stream().map(AlertEvent::alertId).toList(), "oldest change first, nothing older");
            for (AlertEvent event : replayed) {
                assertEquals(ChangeOp.UPDATED, event.op());
                assertEquals("e-stored", event.epoch(), "the stored sequence continues");
                assertNotNull(event.alert());
                assertTrue(event.changeId().startsWith("replay:" + event.alertId() + ":"), event.changeId());
            }
            assertEquals(List.of(42L, 43L), replayed.stream().map(AlertEvent::seq).toList());
            assertEquals(1.0, parts.registry.counter("tocsin.ingest.history.replays").count());

            // Then the stream runs from now.
            await().atMost(TailerFixture.DEADLINE).until(tailer.status()::isOpen);
            ObjectId fresh = parts.insert("new");
            List<AlertEvent> history = parts.awaitHistory(3);
            assertEquals(fresh.toHexString(), history.get(2).alertId());
            assertEquals(ChangeOp.CREATED, history.get(2).op());
            assertEquals(44, history.get(2).seq());
            assertEquals(3, history.size());
        } finally {
            tailer.stop();
        }
    }
}
