package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.tocsin.localinfra.EmbeddedMongo;
import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.protocol.event.AlertEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How often the tailer stores its position, and what a restart may assume from it: a backlog is stored once per
 * batch; a restart after a crash mid-batch never hands out a position of the old epoch again when Redis lost its
 * data too; a graceful stop lets the sequence continue.
 */
class TailerCheckpointTest {

    private EmbeddedMongo mongoServer;
    private LocalRedis redisServer;
    private MongoClient mongo;
    private Vertx vertx;
    private Redis redis;
    private TailerFixture parts;

    @BeforeEach
    void start() {
        mongoServer = EmbeddedMongo.start();
        redisServer = LocalRedis.startOnFreePort();
        mongo = LocalParts.mongo(mongoServer.connectionString());
        vertx = Vertx.vertx();
        redis = LocalParts.redis(vertx, redisServer.uri());
        parts = new TailerFixture(mongo, redis, Map.of("tocsin.ingest.change-stream.checkpoint-max-changes", "10"));
    }

    @AfterEach
    void stop() {
        mongo.close();
        redis.close();
        vertx.closeAndAwait();
        redisServer.stop();
        mongoServer.close();
    }

    @Test
    void aBacklogIsStoredOncePerBatchOfChangesNotOncePerChange() {
        ChangeStreamTailer first = parts.newTailer();
        first.start();
        await().atMost(TailerFixture.DEADLINE).until(first::isOpen);
        parts.insert("before the backlog");
        parts.awaitStoredChange(parts.awaitHistory(1).get(0).changeId());
        first.stop();

        List<ObjectId> backlog = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            backlog.add(parts.insert("backlog " + i));
        }
        long writesBefore = stateWrites();
        ChangeStreamTailer second = parts.newTailer();
        second.start();
        try {
            List<AlertEvent> history = parts.awaitHistory(31);
            AlertEvent last = history.get(30);
            parts.awaitStoredChange(last.changeId());
            long writes = stateWrites() - writesBefore;
            assertTrue(writes >= 3, "at most 10 changes per stored position: " + writes + " writes for 30 changes");
            assertTrue(writes < 15, "stored per batch, not per change: " + writes + " writes for 30 changes");
            assertEquals(backlog.stream().map(ObjectId::toHexString).toList(),
                    history.subList(1, 31).stream().map(AlertEvent::alertId).toList(), "in order, each once");
            for (int i = 1; i < history.size(); i++) {
                assertEquals(history.get(i - 1).seq() + 1, history.get(i).seq());
            }
        } finally {
            second.stop();
        }
    }

    @Test
    void aRestartFromAPositionStoredMidBatchAfterRedisLostItsDataStartsANewEpoch() {
        ChangeStreamTailer first = parts.newTailer();
        first.start();
        await().atMost(TailerFixture.DEADLINE).until(first::isOpen);
        parts.insert("a");
        AlertEvent a = parts.awaitHistory(1).get(0);
        Document storedAfterA = parts.awaitStoredChange(a.changeId());
        assertFalse(storedAfterA.getBoolean("exact"), "a position stored while running may be followed by publishes");
        ObjectId b = parts.insert("b");
        ObjectId c = parts.insert("c");
        List<AlertEvent> before = parts.awaitHistory(3);
        first.stop();

        // As if the process died with b and c published but only a's position stored, and Redis lost everything.
        parts.state.replaceOne(Filters.eq("_id", "alerts"), storedAfterA, new ReplaceOptions().upsert(true));
        redis.send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));

        ChangeStreamTailer second = parts.newTailer();
        second.start();
        try {
            List<AlertEvent> replayed = parts.awaitHistory(2);
            assertEquals(List.of(b.toHexString(), c.toHexString()), replayed.stream().map(AlertEvent::alertId).toList());
            assertNotEquals(a.epoch(), replayed.get(0).epoch(),
                    "not the old epoch, whose seqs " + before.get(1).seq() + ".." + before.get(2).seq()
                            + " consumers may already hold for b and c");
            assertEquals(List.of(1L, 2L), replayed.stream().map(AlertEvent::seq).toList());
        } finally {
            second.stop();
        }
    }

    @Test
    void afterAGracefulStopARedisThatLostItsDataContinuesTheSequence() {
        ChangeStreamTailer first = parts.newTailer();
        first.start();
        await().atMost(TailerFixture.DEADLINE).until(first::isOpen);
        parts.insert("a");
        parts.insert("b");
        AlertEvent b = parts.awaitHistory(2).get(1);
        first.stop();
        Document stored = parts.storedState();
        assertEquals(b.changeId(), stored.getString("changeId"));
        assertTrue(stored.getBoolean("exact"), "nothing was published after the position a graceful stop stored");

        redis.send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));
        ChangeStreamTailer second = parts.newTailer();
        second.start();
        try {
            await().atMost(TailerFixture.DEADLINE).until(second::isOpen);
            parts.insert("c");
            AlertEvent c = parts.awaitHistory(1).get(0);
            assertEquals(b.epoch(), c.epoch());
            assertEquals(b.seq() + 1, c.seq());
        } finally {
            second.stop();
        }
    }

    /** Writes to the state collection, as the embedded server's oplog records them. */
    private long stateWrites() {
        MongoCollection<Document> oplog = mongo.getDatabase("local").getCollection("oplog.rs");
        return oplog.countDocuments(Filters.eq("ns", TailerFixture.DB + ".changestream_state"));
    }
}
