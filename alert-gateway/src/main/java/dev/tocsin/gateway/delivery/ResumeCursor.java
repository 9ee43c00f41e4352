package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.Cursor;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The resume cursor of one connection (protocol v1.1, {@link Cursor}). Its base is a sequence number in the current
 * epoch such that every event at or below it that the connection is entitled to was written to it; it is the lowest
 * of
 * <ul>
 *   <li>the position up to which the fan-out handed events to the connection ({@link #offered}): everything above it
 *       is still to come;</li>
 *   <li>one below the oldest event still waiting here (outbound queue, batch window, recovery hold) or dropped and not
 *       replayed since: those were not written;</li>
 *   <li>while a {@code sync} replays, how far the replay got ({@link #replayingThrough}): the client holds what lies at
 *       or below its {@code since}, the replay writes the rest in order.</li>
 * </ul>
 * Its lanes say how far each priority was written beyond the base: frames of one priority leave in sequence order, so
 * the newest written event of a priority covers every older one of that priority, unless one was dropped (then the
 * lanes say nothing until a replay). The owner computes the middle term and asks {@link #tail}. The cursor is settled only once the connection either
 * began a replay or let its live frames go without one: before that a resuming client still holds an older position
 * than the greeting's, and a cursor would mislead it, so frames carry none. Not thread-safe: the delivery guards it.
 */
final class ResumeCursor {

    /** No replay in progress. */
    private static final long NO_REPLAY = Long.MAX_VALUE;
    private static final byte[] NO_BYTES = new byte[0];
    private static final byte[] CURSOR_OPEN = ",\"cursor\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CURSOR_CLOSE = "\"}".getBytes(StandardCharsets.US_ASCII);

    private String epoch;
    private long offered;
    private long replayedThrough = NO_REPLAY;
    /**
     * A {@code sync} from this base could not be served (the history could not be read): the client still lacks what
     * came between it and where this connection went live, so the base stays here and the cursor carries no lanes
     * (live frames of a priority no longer cover its older events) until a later {@code sync} is answered.
     */
    private long unservedSince = NO_REPLAY;
    private boolean settled;
    /**
     * The newest event written per priority lane (by ordinal), in {@link #epoch}; null until a live frame is written
     * (an idle connection never has one: 56 bytes less each).
     */
    private long[] lanes;
    /** {@code ,"epoch":"…"} as UTF-8, for frames that carry the connection's epoch with the cursor; once per epoch. */
    private byte[] epochField;

    /** The connection goes live after {@code (epoch, seq)}: the greeting's position. */
    void start(String epoch, long seq) {
        this.epoch = epoch;
        this.offered = seq;
        this.epochField = null;
        this.lanes = null;
    }

    /**
     * Every event up to {@code (epoch, seq)} was handed to the connection. Returns whether the epoch changed: positions
     * of the old epoch mean nothing any more (the owner forgets what it remembered by them).
     */
    boolean offered(String epoch, long seq) {
        if (!Objects.equals(epoch, this.epoch)) {
            this.epoch = epoch;
            this.offered = seq;
            this.epochField = null;
            this.lanes = null;
            if (unservedSince != NO_REPLAY) {
                // What the client lacks lies in the old epoch: from 0 in the new one its next sync ends in a reload.
                unservedSince = 0;
            }
            return true;
        }
        if (seq > offered) {
            offered = seq;
        }
        return false;
    }

    /** A replay wrote (or queued, in order) everything the connection is entitled to up to {@code seq}. */
    void replayingThrough(long seq) {
        replayedThrough = seq;
        settled = true;
    }

    /**
     * The hold ended: the replay, if there was one, is queued and the held live frames follow it; without a replay
     * (a fresh client) the cursor starts at the greeting's position.
     */
    void replayDone() {
        replayedThrough = NO_REPLAY;
        settled = true;
    }

    /** A {@code sync} from {@code since} failed: keep the base at it (see {@link #unservedSince}). */
    void syncFailed(long since) {
        if (unservedSince == NO_REPLAY || since < unservedSince) {
            unservedSince = Math.max(0, since);
        }
        settled = true;
    }

    /** A {@code sync} was answered (recovered, or not with a position to reload from): nothing is owed any more. */
    void syncAnswered() {
        unservedSince = NO_REPLAY;
    }

    boolean settled() {
        return settled;
    }

    String epoch() {
        return epoch;
    }

    /** How far a replay in progress got, or -1 when none is. */
    long replayedThrough() {
        return replayedThrough == NO_REPLAY ? -1 : replayedThrough;
    }

    /** A live frame about events up to {@code seq} of {@code epoch} is being written in {@code lane}. */
    void written(String epoch, Priority lane, long seq) {
        if (!Objects.equals(epoch, this.epoch)) {
            return;
        }
        if (lanes == null) {
            lanes = new long[Priority.values().length];
        }
        if (seq > lanes[lane.ordinal()]) {
            lanes[lane.ordinal()] = seq;
        }
    }

    /**
     * What ends a frame for this connection as it is written, as UTF-8, given the oldest event sequence number still
     * unwritten ({@code Long.MAX_VALUE} when none) and whether some event was dropped and not replayed (then lanes
     * could skip it, and the cursor is its base alone): the connection's epoch field when {@code withEpoch}, then
     * {@code ,"cursor":"<text>"}} with the text {@link Cursor#format} gives; null while not settled. Written straight
     * into one array of the exact size: this runs for every frame that carries events, on every connection, so it
     * makes neither a string nor a builder.
     */
    byte[] tail(long oldestUnwritten, boolean droppedSome, boolean withEpoch) {
        if (!settled) {
            return null;
        }
        long base = base(oldestUnwritten);
        byte[] epochBytes = withEpoch ? epochField() : NO_BYTES;
        int length = epochBytes.length + CURSOR_OPEN.length + CursorBytes.digits(base) + CURSOR_CLOSE.length;
        long[] lanes = droppedSome || unservedSince != NO_REPLAY ? null : this.lanes;
        if (lanes != null) {
            for (int i = 0; i < lanes.length; i++) {
                if (lanes[i] > base) {
                    length += CursorBytes.laneLength(i, lanes[i]);
                }
            }
        }
        byte[] tail = new byte[length];
        System.arraycopy(epochBytes, 0, tail, 0, epochBytes.length);
        int at = epochBytes.length;
        System.arraycopy(CURSOR_OPEN, 0, tail, at, CURSOR_OPEN.length);
        at = CursorBytes.putDigits(tail, at + CURSOR_OPEN.length, base);
        if (lanes != null) {
            for (int i = 0; i < lanes.length; i++) {
                if (lanes[i] > base) {
                    at = CursorBytes.putLane(tail, at, i, lanes[i]);
                }
            }
        }
        System.arraycopy(CURSOR_CLOSE, 0, tail, at, CURSOR_CLOSE.length);
        return tail;
    }

    /** The base: the lowest of the offered position, the replay's progress and one below the oldest unwritten. */
    private long base(long oldestUnwritten) {
        long base = Math.min(Math.min(offered, replayedThrough), unservedSince);
        if (oldestUnwritten != Long.MAX_VALUE) {
            base = Math.min(base, oldestUnwritten - 1);
        }
        return Math.max(0, base);
    }

    /** {@code ,"epoch":"…"} for the current epoch as UTF-8 (empty when there is none yet). */
    byte[] epochField() {
        byte[] field = epochField;
        if (field == null) {
            field = epoch == null ? NO_BYTES : (",\"epoch\":" + Json.encode(epoch)).getBytes(StandardCharsets.UTF_8);
            epochField = field;
        }
        return field;
    }
}
