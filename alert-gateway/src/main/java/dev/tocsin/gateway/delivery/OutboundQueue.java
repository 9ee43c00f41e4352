package dev.tocsin.gateway.delivery;

import java.util.ArrayDeque;

/**
 * The bounded outbound queue of one connection and its drop policy (not thread-safe: the owner synchronizes).
 *
 * <ul>
 *   <li>Frames that are never dropped (critical alerts, answers, notices) are taken first.</li>
 *   <li>Other frames leave in arrival order, so nothing is reordered within a priority.</li>
 *   <li>When the queue is full, the newest frame of the lowest priority present (the incoming one included) is
 *       dropped and remembered for a {@code gap} notice, which is handed out once there is room again.</li>
 *   <li>A never-dropped frame is accepted beyond the capacity (up to twice it); past that the connection cannot
 *       be served and {@link Offer#OVERFLOW} tells the owner to close it.</li>
 * </ul>
 */
public final class OutboundQueue {

    /** The outcome of {@link #offer}. */
    public enum Offer { QUEUED, DROPPED_OTHER, DROPPED_INCOMING, OVERFLOW }

    private static final int RANKS = 5;

    private record Entry(OutboundFrame frame, long ordinal) {
    }

    private final int capacity;
    private final int hardCapacity;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Entry>[] ranks = new ArrayDeque[RANKS];
    private long nextOrdinal;
    private int size;

    private long gapFrom = Long.MAX_VALUE;
    private long gapTo = Long.MIN_VALUE;
    private long gapDropped;
    private long droppedTotal;
    private OutboundFrame lastDropped;

    public OutboundQueue(int capacity) {
        this.capacity = Math.max(1, capacity);
        this.hardCapacity = this.capacity * 2;
        // The per-rank deques are created on first use: most connections never queue a frame of most ranks.
    }

    public Offer offer(OutboundFrame frame) {
        if (size < capacity) {
            add(frame);
            return Offer.QUEUED;
        }
        int lowest = lowestDroppableRank();
        if (frame.droppable() && (lowest < 0 || frame.rank() >= lowest)) {
            dropped(frame);
            return Offer.DROPPED_INCOMING;
        }
        if (lowest >= 0) {
            Entry victim = ranks[lowest].pollLast();
            size--;
            dropped(victim.frame());
            add(frame);
            return Offer.DROPPED_OTHER;
        }
        if (size >= hardCapacity) {
            return Offer.OVERFLOW;
        }
        add(frame);
        return Offer.QUEUED;
    }

    /** The next frame to write, or null. */
    public OutboundFrame poll() {
        if (size == 0) {
            return null;
        }
        Entry entry = ranks[0] == null ? null : ranks[0].poll();
        if (entry == null) {
            ArrayDeque<Entry> oldest = null;
            for (int rank = 1; rank < RANKS; rank++) {
                Entry head = ranks[rank] == null ? null : ranks[rank].peek();
                if (head != null && (oldest == null || head.ordinal() < oldest.peek().ordinal())) {
                    oldest = ranks[rank];
                }
            }
            entry = oldest == null ? null : oldest.poll();
        }
        if (entry == null) {
            return null;
        }
        size--;
        return entry.frame();
    }

    /**
     * The pending gap notice once there is room again, then forgotten; null when nothing was dropped or the queue
     * is still full.
     */
    public GapNotice takeGap() {
        if (gapDropped == 0 || size >= capacity) {
            return null;
        }
        GapNotice gap = new GapNotice(gapFrom == Long.MAX_VALUE ? -1 : gapFrom, gapTo == Long.MIN_VALUE ? -1 : gapTo,
                gapDropped);
        gapFrom = Long.MAX_VALUE;
        gapTo = Long.MIN_VALUE;
        gapDropped = 0;
        return gap;
    }

    /** Whether a gap notice is waiting to be handed out by {@link #takeGap}. */
    public boolean gapPending() {
        return gapDropped != 0;
    }

    /**
     * The oldest event sequence number queued in a frame that counts for the resume cursor (one that carries a cursor:
     * not answers, not inbox frames), or {@code Long.MAX_VALUE}. Within ranks 1..4 frames wait in sequence order, so
     * their heads say it; rank 0 mixes critical live frames with replayed ones and is walked (it is short).
     */
    public long oldestSeq() {
        long oldest = Long.MAX_VALUE;
        if (ranks[0] != null) {
            for (Entry entry : ranks[0]) {
                if (counts(entry.frame())) {
                    oldest = Math.min(oldest, entry.frame().fromSeq());
                }
            }
        }
        for (int rank = 1; rank < RANKS; rank++) {
            if (ranks[rank] != null) {
                for (Entry entry : ranks[rank]) {
                    if (counts(entry.frame())) {
                        oldest = Math.min(oldest, entry.frame().fromSeq());
                        break;
                    }
                }
            }
        }
        return oldest;
    }

    private static boolean counts(OutboundFrame frame) {
        return frame.fromSeq() >= 0 && frame.cursorSlot() != OutboundFrame.CursorSlot.NONE;
    }

    /** The frame dropped last (for metrics), or null. */
    public OutboundFrame lastDropped() {
        return lastDropped;
    }

    public boolean isFull() {
        return size >= capacity;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Events dropped over the queue's life. */
    public long droppedTotal() {
        return droppedTotal;
    }

    private void add(OutboundFrame frame) {
        int rank = frame.rank();
        ArrayDeque<Entry> deque = ranks[rank];
        if (deque == null) {
            deque = new ArrayDeque<>();
            ranks[rank] = deque;
        }
        deque.add(new Entry(frame, nextOrdinal++));
        size++;
    }

    private int lowestDroppableRank() {
        for (int rank = RANKS - 1; rank >= 1; rank--) {
            if (ranks[rank] != null && !ranks[rank].isEmpty()) {
                return rank;
            }
        }
        return -1;
    }

    private void dropped(OutboundFrame frame) {
        lastDropped = frame;
        long events = Math.max(1, frame.events());
        gapDropped += events;
        droppedTotal += events;
        if (frame.fromSeq() >= 0) {
            gapFrom = Math.min(gapFrom, frame.fromSeq());
            gapTo = Math.max(gapTo, frame.toSeq());
        }
    }

    /** What a {@code gap} notice reports. */
    public record GapNotice(long fromSeq, long toSeq, long dropped) {
    }
}
