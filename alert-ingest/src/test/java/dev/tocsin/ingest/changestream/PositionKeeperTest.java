package dev.tocsin.ingest.changestream;

import dev.tocsin.protocol.pacing.Backoff;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Storing the stream position: after each change, on a quiet stream, and while the tailer stops. */
class PositionKeeperTest {

    private static final String STREAM = "alerts";
    private static final Duration IDLE_SAVE_INTERVAL = Duration.ofSeconds(10);
    private static final Instant T1 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant T2 = Instant.parse("2025-06-01T12:00:05Z");

    /** Positions in a map; the next {@code failures} saves throw. */
    private static final class MemoryStore implements PositionStore {
        final Map<String, StoredPosition> positions = new HashMap<>();
        int saves;
        int failures;

        @Override
        public Optional<StoredPosition> load(String streamId) {
            return Optional.ofNullable(positions.get(streamId));
        }

        @Override
        public void save(String streamId, StoredPosition position) {
            saves++;
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("store unreachable");
            }
            positions.put(streamId, position);
        }
    }

    /** A loop that records its waits instead of waiting. */
    private static final class RecordingLoop implements TailerLoop {
        boolean running = true;
        final List<Duration> pauses = new ArrayList<>();
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public boolean running() {
            return running;
        }

        @Override
        public void pause(Duration delay) {
            pauses.add(delay);
        }

        @Override
        public void sleep(Duration delay) {
            sleeps.add(delay);
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final RecordingLoop loop = new RecordingLoop();
    private final TailerStatus status = new TailerStatus();
    private long nanos = 1_000_000_000L;
    private final PositionKeeper keeper = new PositionKeeper(store, STREAM, IDLE_SAVE_INTERVAL,
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), status, loop, () -> nanos);

    private static BsonDocument token(String data) {
        return new BsonDocument("_data", new BsonString(data));
    }

    @Test
    void withoutAStoredPositionTheStreamStartsFromNow() {
        keeper.load();
        assertTrue(keeper.loaded());
        assertNull(keeper.token());
        assertNull(keeper.time());
        assertEquals(SequencePosition.NONE, keeper.sequence());
        assertEquals(-1, status.lastSeq());
        keeper.unload();
        assertFalse(keeper.loaded());
    }

    @Test
    void loadingReadsTheStoredPositionAndReportsIt() {
        store.positions.put(STREAM, new StoredPosition(token("A"), "A", new SequencePosition("e1", 5), T1));
        keeper.load();
        assertEquals(token("A"), keeper.token());
        assertEquals(T1, keeper.time());
        assertEquals(new SequencePosition("e1", 5), keeper.sequence());
        assertEquals("A", status.lastChangeId());
        assertEquals("e1", status.epoch());
        assertEquals(5, status.lastSeq());
    }

    @Test
    void aChangesPositionIsStoredWithTheSequenceItsPublishReached() {
        keeper.load();
        keeper.published(new Published(6, "e1", false));
        assertTrue(keeper.advance(token("B"), "B", T2));
        assertEquals(new StoredPosition(token("B"), "B", new SequencePosition("e1", 6), T2), store.positions.get(STREAM));
        assertEquals(token("B"), keeper.token());
        assertEquals(T2, keeper.time());
        assertEquals("B", status.lastChangeId());
    }

    @Test
    void withMoreChangesInHandTheLastOfThemStoresThePositionForAll() {
        keeper.load();
        keeper.published(new Published(1, "e1", false));
        assertTrue(keeper.advance(token("B"), "B", T1, true));
        keeper.published(new Published(2, "e1", false));
        assertTrue(keeper.advance(token("C"), "C", T1, true));
        assertEquals(0, store.saves, "nothing stored while the batch goes on");
        assertEquals(2, keeper.unstored());
        assertEquals(token("C"), keeper.token(), "the stream continues after the newest published change");

        keeper.published(new Published(3, "e1", false));
        assertTrue(keeper.advance(token("D"), "D", T2, false));
        assertEquals(1, store.saves, "one store for the batch");
        assertEquals(new StoredPosition(token("D"), "D", new SequencePosition("e1", 3), T2), store.positions.get(STREAM));
        assertEquals(0, keeper.unstored());
        assertEquals("D", status.lastChangeId());
    }

    @Test
    void aLongBatchIsStoredEveryMaxUnstoredChanges() {
        keeper.load();
        for (int i = 1; i <= PositionKeeper.MAX_UNSTORED; i++) {
            assertTrue(keeper.advance(token("T" + i), "T" + i, T1, true));
        }
        assertEquals(0, store.saves);
        assertTrue(keeper.advance(token("next"), "next", T1, true));
        assertEquals(1, store.saves, "the bound forces a store although more changes are in hand");
        assertEquals("next", store.positions.get(STREAM).changeId());
        assertEquals(0, keeper.unstored());
    }

    @Test
    void storingTheAdvancedPositionCoversTheUnstoredChangesOnce() {
        keeper.load();
        assertTrue(keeper.storeAdvanced(), "nothing to store");
        assertEquals(0, store.saves);
        keeper.published(new Published(4, "e1", false));
        assertTrue(keeper.advance(token("B"), "B", T2, true));
        loop.running = false; // the tailer stops within the batch
        assertTrue(keeper.storeAdvanced());
        assertEquals(new StoredPosition(token("B"), "B", new SequencePosition("e1", 4), T2), store.positions.get(STREAM));
        assertTrue(keeper.storeAdvanced());
        assertEquals(1, store.saves, "stored once");
    }

    @Test
    void loadingForgetsUnstoredChanges() {
        store.positions.put(STREAM, new StoredPosition(token("A"), "A", new SequencePosition("e1", 5), T1));
        keeper.load();
        assertTrue(keeper.advance(token("B"), "B", T2, true));
        keeper.unload();
        keeper.load();
        assertEquals(token("A"), keeper.token(), "another replica may have moved on: the store is the truth");
        assertEquals(0, keeper.unstored());
    }

    @Test
    void aFailedStoreIsRetriedWithBackoffUntilItSucceeds() {
        keeper.load();
        store.failures = 2;
        assertTrue(keeper.advance(token("B"), "B", T2));
        assertEquals(3, store.saves);
        assertEquals(2, loop.pauses.size());
        assertTrue(loop.pauses.get(0).toMillis() >= 50 && loop.pauses.get(0).toMillis() <= 100, loop.pauses.toString());
        assertTrue(loop.pauses.get(1).toMillis() >= 100 && loop.pauses.get(1).toMillis() <= 200, loop.pauses.toString());
        assertEquals(List.of(), loop.sleeps);
        assertEquals("store position: IllegalStateException", status.lastError());
        assertEquals("B", store.positions.get(STREAM).changeId());
    }

    @Test
    void whileStoppingAPublishedChangesPositionGetsThreeQuickAttempts() {
        store.positions.put(STREAM, new StoredPosition(token("A"), "A", new SequencePosition("e1", 5), T1));
        keeper.load();
        loop.running = false;
        store.failures = 10;
        assertFalse(keeper.advance(token("B"), "B", T2), "given up: the next leader replays the change");
        assertEquals(3, store.saves);
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), loop.sleeps, "stop does not cut these short");
        assertEquals(List.of(), loop.pauses);
        assertEquals(token("A"), keeper.token(), "the position stays before the change");
        assertEquals("A", status.lastChangeId());
    }

    @Test
    void aQuietStreamsNewTokenIsStoredAtMostOncePerInterval() {
        keeper.load();
        keeper.published(new Published(6, "e1", false));
        assertTrue(keeper.advance(token("B"), "B", T1));
        int saves = store.saves;

        keeper.saveIdle(token("B"), T2, false);
        assertEquals(saves, store.saves, "the same token is not stored again");
        nanos += IDLE_SAVE_INTERVAL.toNanos() - 1;
        keeper.saveIdle(token("C"), T2, false);
        assertEquals(saves, store.saves, "within the interval of the last save");
        nanos += 1;
        keeper.saveIdle(token("C"), T2, false);
        assertEquals(saves + 1, store.saves);
        assertEquals(new StoredPosition(token("C"), "B", new SequencePosition("e1", 6), T2), store.positions.get(STREAM),
                "the last change and sequence stay; without a time in the token, the poll's time");
        assertEquals(token("C"), keeper.token());

        BsonDocument timed = token("82683C4A40000000012B");
        keeper.saveIdle(timed, T2, true);
        assertEquals(saves + 2, store.saves, "forced (stopping): not held back by the interval");
        assertEquals(Instant.ofEpochSecond(0x683C4A40L), store.positions.get(STREAM).positionTime(),
                "the token's own cluster time");
        assertEquals("B", status.lastChangeId());
    }

    @Test
    void aFailedIdleSaveKeepsThePreviousPosition() {
        keeper.load();
        assertTrue(keeper.advance(token("B"), "B", T1));
        store.failures = 1;
        nanos += IDLE_SAVE_INTERVAL.toNanos();
        keeper.saveIdle(token("C"), T2, false);
        assertEquals(token("B"), keeper.token());
        assertEquals(token("B"), store.positions.get(STREAM).token());
        assertEquals(List.of(), loop.pauses, "not retried in place: the next idle poll tries again");
        keeper.saveIdle(token("C"), T2, false);
        assertEquals(token("C"), keeper.token());
    }

    @Test
    void aLostTokenIsForgottenHereButStaysStoredUntilTheReplayMovesOn() {
        store.positions.put(STREAM, new StoredPosition(token("A"), "A", new SequencePosition("e1", 5), T1));
        keeper.load();
        keeper.lost();
        assertNull(keeper.token());
        assertEquals(T1, keeper.time(), "where the replay starts");
        assertEquals(token("A"), keeper.storedToken());

        keeper.published(new Published(6, "e1", false));
        assertTrue(keeper.restartAt(token("N"), T2));
        assertEquals(new StoredPosition(token("N"), "A", new SequencePosition("e1", 6), T2), store.positions.get(STREAM),
                "the last change id stays: no change of its own");
        assertEquals(token("N"), keeper.token());
        assertEquals(T2, keeper.time());
    }
}
