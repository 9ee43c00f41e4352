package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.leader.LeaderElection;
import dev.tocsin.ingest.leader.LeaderLock;
import dev.tocsin.protocol.event.AlertEvent;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two ingest replicas in one JVM (each a tailer under its own leader election, sharing the embedded MongoDB and
 * a real redis-server): only the lock holder publishes, and the other takes over when it stops or its lock
 * expires.
 */
class LeaderElectionTest {

    private static final String KEY = "tocsin:ingest:leader";
    private static final Duration TTL = Duration.ofSeconds(1);

    private TailerFixture parts;
    private Redis redis;
    private final List<LeaderElection> elections = new ArrayList<>();

    @BeforeEach
    void start() {
        parts = TailerFixture.start(Map.of());
        redis = parts.redis;
    }

    @AfterEach
    void stop() throws Exception {
        elections.forEach(LeaderElection::stop);
        parts.close();
    }

    /** One replica: a tailer that runs only while its election holds the lock. */
    private record Replica(ChangeStreamTailer tailer, LeaderElection election) {
    }

    private Replica replica(String name) {
        ChangeStreamTailer tailer = parts.newTailer();
        LeaderElection election = new LeaderElection(new LeaderLock(redis, KEY, TTL), tailer::start, tailer::stop, name);
        elections.add(election);
        return new Replica(tailer, election);
    }

    private String lockValue() {
        var value = redis.send(Request.cmd(Command.GET).arg(KEY)).await().atMost(Duration.ofSeconds(5));
        return value == null ? null : value.toString();
    }

    private void assertPublishedOnceEach(List<ObjectId> ids, int expectedTotal) {
        // Held for a while: a second publisher would add entries after the first reached the total.
        List<AlertEvent> history = await().during(Duration.ofMillis(1500)).atMost(TailerFixture.DEADLINE)
                .until(parts::history, h -> h.size() == expectedTotal);
        List<String> published = history.stream().map(AlertEvent::alertId).toList();
        for (ObjectId id : ids) {
            assertEquals(1, published.stream().filter(id.toHexString()::equals).count(), "published once: " + id);
        }
        for (int i = 0; i < history.size(); i++) {
            assertEquals(i + 1, history.get(i).seq(), "consecutive positions across the handover");
            assertEquals(history.get(0).epoch(), history.get(i).epoch());
        }
    }

    @Test
    void onlyTheLeaderPublishesAndTheStandbyTakesOverWhenItStops() {
        Replica a = replica("a");
        Replica b = replica("b");
        a.election().start();
        await().atMost(TailerFixture.DEADLINE).until(() -> a.election().isLeader() && a.tailer().status().isOpen());
        b.election().start();
        await().atMost(TailerFixture.DEADLINE).until(() -> b.election().role() == LeaderElection.Role.STANDBY);
        assertFalse(b.tailer().isRunning(), "the standby does not tail");

        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(parts.insert("under a " + i));
        }
        assertPublishedOnceEach(ids, 5);

        a.election().stop(); // graceful: stops the tailer, stores its position, releases the lock
        await().atMost(TailerFixture.DEADLINE).until(() -> b.election().isLeader() && b.tailer().status().isOpen());
        for (int i = 0; i < 3; i++) {
            ids.add(parts.insert("under b " + i));
        }
        assertPublishedOnceEach(ids, 8);
    }

    @Test
    void aStandbyTakesOverWhenTheLeadersLockExpires() {
        // A leader that died without releasing: its lock stays until it expires.
        redis.send(Request.cmd(Command.SET).arg(KEY).arg("crashed-replica").arg("PX").arg(1500))
                .await().atMost(Duration.ofSeconds(5));
        Replica c = replica("c");
        c.election().start();
        await().atMost(TailerFixture.DEADLINE).until(() -> c.election().role() == LeaderElection.Role.STANDBY);
        assertFalse(c.tailer().isRunning());
        await().atMost(TailerFixture.DEADLINE).until(() -> c.election().isLeader() && c.tailer().status().isOpen());
        ObjectId id = parts.insert("after takeover");
        assertPublishedOnceEach(List.of(id), 1);
    }

    @Test
    void aLeaderWhoseLockWasTakenStopsPublishing() {
        Replica a = replica("a");
        a.election().start();
        await().atMost(TailerFixture.DEADLINE).until(() -> a.election().isLeader() && a.tailer().status().isOpen());
        ObjectId before = parts.insert("before");
        assertPublishedOnceEach(List.of(before), 1);

        // Another replica holds the lock now (this one was paused past the lifetime, say).
        redis.send(Request.cmd(Command.SET).arg(KEY).arg("new-leader").arg("PX").arg(60_000))
                .await().atMost(Duration.ofSeconds(5));
        await().atMost(TailerFixture.DEADLINE).until(() -> a.election().role() == LeaderElection.Role.STANDBY
                && !a.tailer().isRunning());
        parts.insert("while deposed");
        assertPublishedOnceEach(List.of(before), 1);
        assertEquals("new-leader", lockValue(), "the deposed replica did not touch the new leader's lock");
        assertTrue(parts.history().size() == 1);
    }
}
