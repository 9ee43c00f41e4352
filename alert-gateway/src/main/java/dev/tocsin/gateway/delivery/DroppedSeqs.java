package dev.tocsin.gateway.delivery;

import java.util.TreeSet;

/**
 * The sequence numbers of events one connection's delivery dropped (full queue, full hold), so that a later
 * {@code sync} replays them instead of treating them as delivered, and the resume cursor stays below them until then.
 * The newest {@link #CAPACITY} are kept one by one; older ones are remembered as one range, which counts as dropped as a
 * whole (a sync over it replays a little more, never less). Not thread-safe: the connection's delivery guards it.
 */
final class DroppedSeqs {

    /** Most dropped sequence numbers remembered one by one. */
    static final int CAPACITY = 10_000;

    private final TreeSet<Long> seqs = new TreeSet<>();
    /** The range the evicted numbers lie in; empty when {@code evictedFrom > evictedTo}. */
    private long evictedFrom = Long.MAX_VALUE;
    private long evictedTo = Long.MIN_VALUE;

    void remember(long seq) {
        seqs.add(seq);
        if (seqs.size() > CAPACITY) {
            long evicted = seqs.pollFirst();
            evictedFrom = Math.min(evictedFrom, evicted);
            evictedTo = Math.max(evictedTo, evicted);
        }
    }

    boolean contains(long seq) {
        return seqs.contains(seq) || seq >= evictedFrom && seq <= evictedTo;
    }

    /** The event was replayed: it no longer counts as dropped. */
    void forget(long seq) {
        seqs.remove(seq);
    }

    /** A sync replayed everything the connection is entitled to in {@code from..to}: nothing there counts as dropped. */
    void forget(long from, long to) {
        seqs.subSet(from, true, to, true).clear();
        if (from <= evictedFrom && to >= evictedTo) {
            evictedFrom = Long.MAX_VALUE;
            evictedTo = Long.MIN_VALUE;
        }
    }

    /** The oldest dropped and not replayed, or {@code Long.MAX_VALUE}. */
    long oldest() {
        long oldest = seqs.isEmpty() ? Long.MAX_VALUE : seqs.first();
        return Math.min(oldest, evictedFrom);
    }

    boolean isEmpty() {
        return seqs.isEmpty() && evictedFrom > evictedTo;
    }
}
