package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCursor;
import dev.tocsin.ingest.common.retry.ConsecutiveFailures;
import dev.tocsin.protocol.pacing.Backoff;
import io.quarkus.logging.Log;
import org.bson.BsonDocument;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Where the tailer is in the stream, and keeping it stored ({@link PositionStore}): the resume token it continues
 * after, the store's time of that change, and the last published sequence position. A change's position is
 * stored only after the change was published, retried until it is stored or the tailer stops; a crash in between
 * republishes that change on restart with the same {@code changeId}, which the script does not publish twice. On
 * a quiet stream the server's post-batch token is stored every {@code idle-token-save-interval}, so the stored
 * token does not age out of the oplog. While more changes are already in hand (in the cursor's batch), storing
 * waits for the last of them, at most {@link #MAX_UNSTORED} changes: one write then covers them all, and a crash
 * in between republishes them, which the script recognises by {@code changeId} as before. Used by the tailer's
 * thread only.
 */
final class PositionKeeper {

    /** Attempts to store a published change's position once the tailer is stopping, 100 ms apart. */
    private static final int ATTEMPTS_WHILE_STOPPING = 3;
    private static final Duration DELAY_WHILE_STOPPING = Duration.ofMillis(100);
    /**
     * Changes advanced past in memory before the position is stored anyway: bounds what a crash republishes (each
     * republished change is dropped by the script as a duplicate within its de-duplication window).
     */
    static final int MAX_UNSTORED = 64;

    private final PositionStore store;
    private final String streamId;
    private final Duration idleSaveInterval;
    private final Backoff backoff;
    private final TailerStatus status;
    private final TailerLoop loop;
    private final LongSupplier nanoTime;

    private boolean loaded;
    /** The last token that was stored (null: start from now). */
    private BsonDocument token;
    /** The store's time of the change at {@link #token} (null: unknown). */
    private Instant time;
    /** The last published position, stored with the token. */
    private SequencePosition sequence = SequencePosition.NONE;
    private String changeId;
    private long lastSavedNanos;
    /** Changes this keeper advanced past without storing the position yet. */
    private int unstored;

    PositionKeeper(PositionStore store, String streamId, Duration idleSaveInterval, Backoff backoff, TailerStatus status,
            TailerLoop loop, LongSupplier nanoTime) {
        this.store = store;
        this.streamId = streamId;
        this.idleSaveInterval = idleSaveInterval;
        this.backoff = backoff;
        this.status = status;
        this.loop = loop;
        this.nanoTime = nanoTime;
    }

    /** Whether {@link #load} ran since the last {@link #unload}. */
    boolean loaded() {
        return loaded;
    }

    /** The next run reads the stored position again (another replica may have moved it meanwhile). */
    void unload() {
        loaded = false;
    }

    /** Reads the stored position; without one the stream starts from now and the sequence is unknown. */
    void load() {
        StoredPosition stored = store.load(streamId).orElse(null);
        token = stored == null ? null : stored.token();
        time = stored == null ? null : stored.positionTime();
        sequence = stored == null ? SequencePosition.NONE : stored.sequence();
        changeId = stored == null ? null : stored.changeId();
        unstored = 0;
        loaded = true;
        status.resumedAt(changeId, sequence);
        Log.infof("change stream resumes %s%s", token == null ? "from now (no stored position)"
                        : "after change " + ChangeMapping.changeIdOf(token),
                sequence.known() ? " with epoch " + sequence.epoch() + " seq " + sequence.lastSeq() : "");
    }

    /** The token the stream continues after; null: from now. */
    BsonDocument token() {
        return token;
    }

    /** The store's time of the change at {@link #token()}; null when unknown. */
    Instant time() {
        return time;
    }

    SequencePosition sequence() {
        return sequence;
    }

    /** A change was published: the sequence moves on (a duplicate's earlier seq never moves it back). */
    void published(Published published) {
        sequence = sequence.after(published);
    }

    /**
     * Stores the position after a change (published, skipped or an invalidate). False when it could not be stored
     * before the tailer stopped: the change is then replayed by the next leader and recognised as a duplicate.
     */
    boolean advance(BsonDocument token, String changeId, Instant time) {
        return advance(token, changeId, time, false);
    }

    /**
     * As {@link #advance(BsonDocument, String, Instant)}; with {@code moreInHand} (the next change is already
     * read) the position moves in memory only, unless {@link #MAX_UNSTORED} changes are unstored already. The
     * stream continues after the in-memory position either way.
     */
    boolean advance(BsonDocument token, String changeId, Instant time, boolean moreInHand) {
        if (moreInHand && unstored < MAX_UNSTORED) {
            moveTo(token, changeId, time);
            unstored++;
            return true;
        }
        return storeAt(token, changeId, time);
    }

    /**
     * Stores the position the stream has advanced to in memory, if it is not stored yet (the tailer stops between
     * changes of one batch). False when it could not be stored before the tailer stopped.
     */
    boolean storeAdvanced() {
        return unstored == 0 || storeAt(token, changeId, time);
    }

    /** Changes advanced past and not stored yet (at most {@link #MAX_UNSTORED}). */
    int unstored() {
        return unstored;
    }

    /** Stores the position after {@code changeId}, then moves there; a failed store leaves the position as it was. */
    private boolean storeAt(BsonDocument token, String changeId, Instant time) {
        if (!storeUntilDone(new StoredPosition(token, changeId, sequence, time))) {
            return false;
        }
        moveTo(token, changeId, time);
        unstored = 0;
        lastSavedNanos = nanoTime.getAsLong();
        status.storedAt(changeId);
        return true;
    }

    private void moveTo(BsonDocument token, String changeId, Instant time) {
        this.token = token;
        this.changeId = changeId;
        this.time = time;
    }

    /** Stores a place to continue from that is no change of its own (after a history-lost replay). */
    boolean restartAt(BsonDocument token, Instant time) {
        if (!storeUntilDone(new StoredPosition(token, changeId, sequence, time))) {
            return false;
        }
        this.token = token;
        this.time = time;
        unstored = 0;
        return true;
    }

    /**
     * Redis lost what was published after the change at {@code token}: the stream continues after it (in memory
     * only; the stored position moves when the first re-published change is stored, so a crash meanwhile finds
     * the loss again). The sequence stays: re-published changes get positions after the stored one.
     */
    void rewind(BsonDocument token, String changeId, Instant time) {
        moveTo(token, changeId, time);
    }

    /** The stored token aged out of the oplog: the stream continues from now. */
    void lost() {
        token = null;
    }

    /** The token in the store, read back (after {@link #lost()} this keeper no longer holds it). */
    BsonDocument storedToken() {
        return store.load(streamId).map(StoredPosition::token).orElse(null);
    }

    /**
     * Stores the cursor's resume token when it moved past the stored one without a change (the server's
     * post-batch token on a quiet stream), at most every {@code idle-token-save-interval} unless forced. On a
     * server that sends no post-batch token (the embedded test server) the token equals the stored one: no-op.
     */
    void saveIdle(BsonDocument cursorToken, Instant polledAt, boolean force) {
        if (cursorToken == null || cursorToken.equals(token)) {
            return;
        }
        if (!force && nanoTime.getAsLong() - lastSavedNanos < idleSaveInterval.toNanos()) {
            return;
        }
        Instant tokenTime = ChangeTimes.clusterTimeOf(cursorToken);
        StoredPosition position = new StoredPosition(cursorToken, changeId, sequence,
                tokenTime != null ? tokenTime : polledAt);
        try {
            store.save(streamId, position);
            token = cursorToken;
            time = position.positionTime();
            lastSavedNanos = nanoTime.getAsLong();
            Log.debugf("stored the quiet stream's resume token %s", ChangeMapping.changeIdOf(cursorToken));
        } catch (RuntimeException e) {
            // Not fatal: the previous position is still valid, only older; the next idle poll retries.
            Log.warnf("storing the quiet stream's resume token failed (%s)", e.getClass().getSimpleName());
        }
    }

    /**
     * Stores the position, retrying with backoff. When the tailer is stopping, a published change's position is
     * still stored (a few quick attempts), so a graceful stop does not leave a replay behind.
     */
    private boolean storeUntilDone(StoredPosition position) {
        ConsecutiveFailures failures = new ConsecutiveFailures(backoff);
        int attemptsWhileStopping = 0;
        while (true) {
            try {
                store.save(streamId, position);
                return true;
            } catch (RuntimeException e) {
                status.failed("store position: " + e.getClass().getSimpleName());
                if (!loop.running() && ++attemptsWhileStopping >= ATTEMPTS_WHILE_STOPPING) {
                    Log.warnf("storing the stream position failed while stopping (%s); the change will be replayed",
                            e.getMessage());
                    return false;
                }
                Duration delay = loop.running() ? failures.failed() : DELAY_WHILE_STOPPING;
                Log.warnf("storing the stream position failed (%s); retrying in %d ms", e.getMessage(), delay.toMillis());
                if (loop.running()) {
                    loop.pause(delay);
                } else {
                    loop.sleep(delay);
                }
            }
        }
    }

    /**
     * The cursor's current resume token: the server's post-batch token when it sends one, else the last event's
     * token, else the token the stream was opened after. The driver's change stream cursor is a
     * {@link MongoChangeStreamCursor} also behind {@code withDocumentClass}; null when it is not.
     */
    static BsonDocument resumeTokenOf(MongoCursor<BsonDocument> cursor) {
        if (cursor instanceof MongoChangeStreamCursor<?> changeStream) {
            try {
                return changeStream.getResumeToken();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
