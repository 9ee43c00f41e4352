package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publish script's guarantees against a real redis-server (one per test, so FLUSHALL hurts no one): history
 * entries addressed by seq, de-duplication by changeId, the sequence continuing from ingest's stored position
 * after Redis lost its data, fencing by the leader token, and the age trim of the history.
 */
class PublishGuaranteesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private LocalRedis server;
    private Vertx vertx;
    private Redis redis;
    private AlertEventPublisher publisher;
    private IngestConfig config;

    @BeforeEach
    void start() {
        server = LocalRedis.startOnFreePort();
        vertx = Vertx.vertx();
        redis = LocalParts.redis(vertx, server.uri());
        config = LocalParts.config(Map.of("tocsin.ingest.redis.dedup-window", "1h"));
        publisher = new AlertEventPublisher(redis, config);
    }

    @AfterEach
    void stop() {
        redis.close();
        vertx.closeAndAwait();
        server.stop();
    }

    private static AlertEvent event(String id, String changeId, Instant publishedAt) {
        Alert alert = new Alert(id, Priority.HIGH, "outbreak_risk", "t " + id, "m", "s", null, null, null,
                null, false, null, null, Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"),
                Audience.EVERYONE, null, null, null, null, null, null, null, null);
        return new AlertEvent(null, 0, ChangeOp.CREATED, id, alert, changeId, publishedAt);
    }

    private static AlertEvent event(String id) {
        return event(id, "change-" + id, Instant.now());
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(WAIT);
    }

    private List<String> historyIds() {
        Response entries = send(Request.cmd(Command.XRANGE).arg("tocsin:history").arg("-").arg("+"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ids.add(entries.get(i).get(0).toString());
        }
        return ids;
    }

    @Test
    void historyEntriesAreAddressedBySeq() {
        Published first = publisher.publish(event("h1"), SequencePosition.NONE, null);
        Published second = publisher.publish(event("h2"), new SequencePosition(first.epoch(), first.seq()), null);
        assertEquals(List.of(first.seq() + "-0", second.seq() + "-0"), historyIds());
        // XRANGE by position, as the gateway reads it.
        Response from = send(Request.cmd(Command.XRANGE).arg("tocsin:history").arg(second.seq() + "-0").arg("+"));
        assertEquals(1, from.size());
        List<AlertEvent> relay = LocalParts.history(redis, "tocsin:relay");
        assertEquals(2, relay.size(), "the relay stream still gets every event");
    }

    @Test
    void aChangePublishedTwiceIsPublishedOnce() {
        // A crash between publish and saving the resume token replays the same change with the same changeId.
        AlertEvent change = event("d1", "token-d1", Instant.now());
        Published first = publisher.publish(change, SequencePosition.NONE, null);
        Published again = publisher.publish(change, new SequencePosition(first.epoch(), first.seq() - 1), null);
        assertFalse(first.duplicate());
        assertTrue(again.duplicate());
        assertEquals(first.seq(), again.seq(), "the duplicate reports the earlier seq");
        assertEquals(first.epoch(), again.epoch());
        assertEquals(1, LocalParts.history(redis, "tocsin:history").size(), "one event in the history");
        assertEquals(1, LocalParts.history(redis, "tocsin:relay").size(), "one event in the relay stream");
        assertEquals(String.valueOf(first.seq()), send(Request.cmd(Command.GET).arg("tocsin:seq")).toString(),
                "no seq was used up");
        long ttl = send(Request.cmd(Command.TTL).arg("tocsin:change:token-d1")).toLong();
        assertTrue(ttl > 3500 && ttl <= 3600, "remembered for the de-duplication window, ttl " + ttl);
        Published next = publisher.publish(event("d2"), new SequencePosition(first.epoch(), first.seq()), null);
        assertEquals(first.seq() + 1, next.seq());
    }

    @Test
    void theSequenceContinuesAfterRedisLostItsData() {
        Published first = publisher.publish(event("c1"), SequencePosition.NONE, null);
        Published second = publisher.publish(event("c2"), new SequencePosition(first.epoch(), first.seq()), null);
        SequencePosition stored = new SequencePosition(second.epoch(), second.seq());

        send(Request.cmd(Command.FLUSHALL));
        Published third = publisher.publish(event("c3"), stored, null);
        assertEquals(second.seq() + 1, third.seq(), "seq continues from ingest's stored position");
        assertEquals(second.epoch(), third.epoch(), "same epoch");
        assertEquals(List.of(third.seq() + "-0"), historyIds());

        // Restarted empty (no persistence), as in production without AOF.
        server.stop();
        server.start();
        Published fourth = publisher.publish(event("c4"), new SequencePosition(third.epoch(), third.seq()), null);
        assertEquals(third.seq() + 1, fourth.seq());
        assertEquals(second.epoch(), fourth.epoch());
    }

    @Test
    void aNewEpochStartsOnlyWhenNeitherSideKnowsTheSequence() {
        Published first = publisher.publish(event("n1"), SequencePosition.NONE, null);
        assertEquals(1, first.seq());
        send(Request.cmd(Command.FLUSHALL));
        Published fresh = publisher.publish(event("n2"), SequencePosition.NONE, null);
        assertEquals(1, fresh.seq());
        assertNotEquals(first.epoch(), fresh.epoch());
    }

    @Test
    void aSnapshotBehindTheStoredPositionDoesNotRepeatPositions() {
        Published first = publisher.publish(event("s1"), SequencePosition.NONE, null);
        // Redis restored from an older snapshot (or failed over to a replica that lagged): its history and counter
        // are behind what ingest stored. The loss is reported with the last entry that survived...
        SequencePosition stored = new SequencePosition(first.epoch(), first.seq() + 10);
        LostWritesException lost = assertThrows(LostWritesException.class,
                () -> publisher.publish(event("s2"), stored, null));
        assertEquals(first.seq(), lost.survivingSeq());
        assertEquals("change-s1", lost.survivingEvent().changeId());
        assertEquals(List.of(first.seq() + "-0"), historyIds(), "nothing was written");
        // ...and once the caller re-publishes, positions continue after the stored one.
        Published next = publisher.publish(event("s2"), stored, null, true);
        assertEquals(first.seq() + 11, next.seq());
        Published after = publisher.publish(event("s3"), new SequencePosition(next.epoch(), next.seq()), null);
        assertEquals(next.seq() + 1, after.seq());
    }

    @Test
    void theCounterNeverFallsBehindTheHistory() {
        Published first = publisher.publish(event("g1"), SequencePosition.NONE, null);
        publisher.publish(event("g2"), new SequencePosition(first.epoch(), first.seq()), null);
        // Only the counter is lost, and ingest's stored position is behind (crash before saving it).
        send(Request.cmd(Command.DEL).arg("tocsin:seq"));
        Published third = publisher.publish(event("g3"), new SequencePosition(first.epoch(), first.seq()), null);
        assertEquals(first.seq() + 2, third.seq(), "moves past the history's last position");
        assertEquals(3, historyIds().size());
    }

    @Test
    void aReplicaThatLostTheLeaderLockCannotPublish() {
        send(Request.cmd(Command.SET).arg("tocsin:ingest:leader").arg("other-replica"));
        assertThrows(AlertEventPublisher.NotLeaderException.class,
                () -> publisher.publish(event("l1"), SequencePosition.NONE, "mine"));
        assertEquals(0, historyIds().size());
        Published published = publisher.publish(event("l2"), SequencePosition.NONE, "other-replica");
        assertEquals(1, published.seq());
    }

    @Test
    void historyEntriesOlderThanTheMaxAgeAreTrimmed() {
        Instant now = Instant.now();
        SequencePosition position = SequencePosition.NONE;
        for (int i = 0; i < 250; i++) {
            // 250 old entries (more than one XRANGE batch), then 3 young ones.
            position = position.after(publisher.publish(event("o" + i, "old-" + i, now.minus(Duration.ofHours(30))),
                    position, null));
        }
        List<Long> young = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Published published = publisher.publish(event("y" + i, "young-" + i, now.minusSeconds(60)), position, null);
            position = position.after(published);
            young.add(published.seq());
        }
        HistoryTrimmer trimmer = new HistoryTrimmer(redis, config);
        long removed = trimmer.trimPublishedBefore(now.minus(Duration.ofHours(24)));
        assertEquals(250, removed);
        assertEquals(young.stream().map(seq -> seq + "-0").toList(), historyIds());
        assertEquals(0, trimmer.trimPublishedBefore(now.minus(Duration.ofHours(24))), "a second run is a no-op");

        // All entries old: all go, and the next publish still continues the sequence.
        assertEquals(3, trimmer.trimPublishedBefore(now.plusSeconds(1)));
        assertEquals(List.of(), historyIds());
        Published after = publisher.publish(event("z"), position, null);
        assertEquals(young.get(2) + 1, after.seq());
    }
}
