package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.socket.TextFrame;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.message.Cursor;

import java.nio.charset.StandardCharsets;

/**
 * One encoded frame waiting for a connection. The frame is shared: a frame for an event is encoded once, to JSON and
 * then to UTF-8 bytes, and the same object is queued for every connection that gets it.
 *
 * @param type      wire type, for metrics
 * @param text      the JSON text
 * @param priority  the alert priority it carries; null for answers and notices (never dropped)
 * @param fromSeq   lowest event sequence number in it, -1 when it carries no event
 * @param toSeq     highest event sequence number in it, -1 when it carries no event
 * @param events    how many events it carries (a batch carries several)
 * @param createdAt the carried alerts' creation times (epoch ms, 0 when unknown), for latency; empty for none
 * @param seqs      the exact sequence numbers it carries (a batch's range may span other priorities' events), so a
 *                  dropped frame can be replayed by {@code sync}; empty for none
 * @param alertIds  the ids of the new alerts it carries ({@code alert}, {@code alert_batch}; op {@code created}),
 *                  whose delivery is recorded once written; empty for changes, answers and notices
 * @param slot      whether the connection's resume cursor is appended as the frame is written, and how
 * @param epoch     with {@link CursorSlot#AFTER_EPOCH}: the epoch the text names (the cursor is appended only when it
 *                  is the connection's)
 * @param lane      for a live frame about events: the priority lane it is written in (see {@code Cursor}); null for
 *                  answers, notices and replayed frames, which the cursor's base accounts for
 * @param fannedOutNanos for a live frame of new alerts: when the oldest of them was handed to the fan-out
 *                  ({@link System#nanoTime()}), for the {@code fanout_write} stage; {@link #NO_TIME} for others
 */
public final class OutboundFrame implements TextFrame {

    /**
     * Where the per-connection {@code cursor} goes: the shared text is encoded without it and it is appended, as the
     * last field, when the frame is written to a connection.
     */
    public enum CursorSlot {
        /** The frame carries no cursor. */
        NONE,
        /** The text names its {@code epoch}; the cursor follows when that is the connection's epoch. */
        AFTER_EPOCH,
        /** The text names no epoch: the connection's epoch and cursor are appended together. */
        WITH_EPOCH
    }

    private static final long[] NONE = new long[0];
    /** {@link #fannedOutNanos()} of a frame that is not a live new alert. */
    public static final long NO_TIME = Long.MIN_VALUE;
    /** No new alert ids: shared by every frame that records no delivery. */
    static final String[] NO_IDS = new String[0];

    private final String type;
    private final String text;
    private final Priority priority;
    private final long fromSeq;
    private final long toSeq;
    private final int events;
    private final long[] createdAt;
    private final long[] seqs;
    private final String[] alertIds;
    private final CursorSlot slot;
    private final String epoch;
    private final Priority lane;
    private final long fannedOutNanos;
    /** The text as UTF-8, made once on first use; volatile so a frame shared across event loops is seen whole. */
    private volatile byte[] utf8;

    public OutboundFrame(String type, String text, Priority priority, long fromSeq, long toSeq, int events,
            long[] createdAt, long[] seqs, String[] alertIds) {
        this(type, text, priority, fromSeq, toSeq, events, createdAt, seqs, alertIds, CursorSlot.NONE, null, null);
    }

    public OutboundFrame(String type, String text, Priority priority, long fromSeq, long toSeq, int events,
            long[] createdAt, long[] seqs, String[] alertIds, CursorSlot slot, String epoch, Priority lane) {
        this(type, text, priority, fromSeq, toSeq, events, createdAt, seqs, alertIds, slot, epoch, lane, NO_TIME);
    }

    public OutboundFrame(String type, String text, Priority priority, long fromSeq, long toSeq, int events,
            long[] createdAt, long[] seqs, String[] alertIds, CursorSlot slot, String epoch, Priority lane,
            long fannedOutNanos) {
        this.fannedOutNanos = fannedOutNanos;
        this.slot = slot;
        this.epoch = epoch;
        this.lane = lane;
        this.type = type;
        this.text = text;
        this.priority = priority;
        this.fromSeq = fromSeq;
        this.toSeq = toSeq;
        this.events = events;
        this.createdAt = createdAt;
        this.seqs = seqs;
        this.alertIds = alertIds;
    }

    /** A frame that carries no new alert (nothing to record as delivered). */
    public OutboundFrame(String type, String text, Priority priority, long fromSeq, long toSeq, int events,
            long[] createdAt, long[] seqs) {
        this(type, text, priority, fromSeq, toSeq, events, createdAt, seqs, NO_IDS);
    }

    /** An answer or notice: never dropped, carries no event. */
    public static OutboundFrame control(String type, String text) {
        return new OutboundFrame(type, text, null, -1, -1, 0, NONE, NONE);
    }

    /** An answer or notice that carries the connection's epoch and cursor ({@code ping}, {@code gap}). */
    public static OutboundFrame withCursor(String type, String text) {
        return new OutboundFrame(type, text, null, -1, -1, 0, NONE, NONE, NO_IDS, CursorSlot.WITH_EPOCH, null, null);
    }

    /** An answer about a position in {@code epoch} that carries the cursor after it ({@code sync_response}). */
    public static OutboundFrame answerWithCursor(String type, String text, String epoch) {
        return new OutboundFrame(type, text, null, -1, -1, 0, NONE, NONE, NO_IDS, CursorSlot.AFTER_EPOCH, epoch,
                null);
    }

    /** A frame about one event of {@code epoch} that carries no alert creation time (updates, acks). */
    public static OutboundFrame event(String type, String text, Priority priority, String epoch, long seq) {
        return new OutboundFrame(type, text, priority, seq, seq, 1, NONE, new long[] {seq}, NO_IDS,
                CursorSlot.AFTER_EPOCH, epoch, Cursor.laneOf(priority));
    }

    /**
     * A frame replayed by {@code sync}: about one event of {@code epoch}, never dropped and never batched (the client
     * asked for exactly these), so it carries no priority for the drop policy; {@code newAlertId} names the alert when
     * the frame is a new alert ({@code alert}), else null. It carries the cursor like a live frame.
     */
    public static OutboundFrame replay(String type, String text, String epoch, long seq, String newAlertId) {
        return new OutboundFrame(type, text, null, seq, seq, 1, NONE, new long[] {seq},
                newAlertId == null ? NO_IDS : new String[] {newAlertId}, CursorSlot.AFTER_EPOCH, epoch, null);
    }

    /**
     * A frame from the offline inbox: like a replayed one, but without a cursor: it is delivered before the client
     * said where it resumes from, so it proves nothing about what the connection holds.
     */
    public static OutboundFrame fromInbox(String type, String text, long seq, String newAlertId) {
        return new OutboundFrame(type, text, null, seq, seq, 1, NONE, new long[] {seq},
                newAlertId == null ? NO_IDS : new String[] {newAlertId});
    }

    /**
     * A live new alert of {@code epoch}: {@code createdAt} 0 when unknown, {@code newAlertId} null when the frame
     * records no delivery.
     */
    static OutboundFrame single(String type, String text, Priority priority, String epoch, long seq, long createdAt,
            String newAlertId, long fannedOutNanos) {
        return new OutboundFrame(type, text, priority, seq, seq, 1, createdAt > 0 ? new long[] {createdAt} : NONE,
                new long[] {seq}, newAlertId == null ? NO_IDS : new String[] {newAlertId}, CursorSlot.AFTER_EPOCH,
                epoch, Cursor.laneOf(priority), fannedOutNanos);
    }

    public String type() {
        return type;
    }

    @Override
    public String text() {
        return text;
    }

    public Priority priority() {
        return priority;
    }

    public long fromSeq() {
        return fromSeq;
    }

    public long toSeq() {
        return toSeq;
    }

    public int events() {
        return events;
    }

    public long[] createdAt() {
        return createdAt;
    }

    public long[] seqs() {
        return seqs;
    }

    public String[] alertIds() {
        return alertIds;
    }

    public CursorSlot cursorSlot() {
        return slot;
    }

    /** When the oldest new alert of a live frame was handed to the fan-out ({@link System#nanoTime()}), else {@link #NO_TIME}. */
    public long fannedOutNanos() {
        return fannedOutNanos;
    }

    /** The priority lane of a live event frame, or null. */
    public Priority lane() {
        return lane;
    }

    /** The epoch the text names, for {@link CursorSlot#AFTER_EPOCH}; else null. */
    public String epoch() {
        return epoch;
    }

    /**
     * The text as UTF-8 bytes, encoded on the first call and shared by every connection the frame goes to. Two threads
     * racing on the first call both encode the same bytes; either result is right.
     */
    @Override
    public byte[] utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return bytes;
    }

    /** Critical alerts and control frames are never dropped. */
    public boolean droppable() {
        return priority != null && priority != Priority.CRITICAL;
    }

    /** Queue rank: 0 for never-dropped frames (sent first), then 1..4 for high..info. */
    public int rank() {
        return droppable() ? priority.ordinal() : 0;
    }

    /** The priority tag for metrics. */
    public String priorityTag() {
        return priority == null ? "none" : priority.wire();
    }

    @Override
    public String toString() {
        return "OutboundFrame[" + type + ", seq " + fromSeq + ".." + toSeq + ", " + events + " events]";
    }
}
