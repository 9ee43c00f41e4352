package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.json.Json;

import java.util.Objects;

/**
 * The resume cursor of one connection (protocol v1.1): a sequence number in the current epoch such that every event at
 * or below it that the connection is entitled to was written to it. It is the lowest of
 * <ul>
 *   <li>the position up to which the fan-out handed events to the connection ({@link #offered}): everything above it
 *       is still to come;</li>
 *   <li>one below the oldest event still waiting here (outbound queue, batch window, recovery hold) or dropped and not
 *       replayed since: those were not written;</li>
 *   <li>while a {@code sync} replays, how far the replay got ({@link #replayingThrough}): the client holds what lies at
 *       or below its {@code since}, the replay writes the rest in order.</li>
 * </ul>
 * The owner computes the middle term and asks {@link #value}. The cursor is settled only once the connection either
 * began a replay or let its live frames go without one: before that a resuming client still holds an older position
 * than the greeting's, and a cursor would mislead it, so frames carry none. Not thread-safe: the delivery guards it.
 */
final class ResumeCursor {

    /** No replay in progress. */
    private static final long NO_REPLAY = Long.MAX_VALUE;

    private String epoch;
    private long offered;
    private long replayedThrough = NO_REPLAY;
    private boolean settled;
    /** {@code ,"epoch":"…"} for frames that carry the connection's epoch with the cursor; made once per epoch. */
    private String epochField;

    /** The connection goes live after {@code (epoch, seq)}: the greeting's position. */
    void start(String epoch, long seq) {
        this.epoch = epoch;
        this.offered = seq;
        this.epochField = null;
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

    /**
     * The cursor, given the oldest event sequence number still unwritten ({@code Long.MAX_VALUE} when none), or -1
     * while not settled.
     */
    long value(long oldestUnwritten) {
        if (!settled) {
            return -1;
        }
        long value = Math.min(offered, replayedThrough);
        if (oldestUnwritten != Long.MAX_VALUE) {
            value = Math.min(value, oldestUnwritten - 1);
        }
        return Math.max(0, value);
    }

    /** {@code ,"epoch":"…"} for the current epoch (empty when there is none yet). */
    String epochField() {
        String field = epochField;
        if (field == null) {
            field = epoch == null ? "" : ",\"epoch\":" + Json.encode(epoch);
            epochField = field;
        }
        return field;
    }
}
