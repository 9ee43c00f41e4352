package dev.tocsin.gateway.delivery;

import java.util.TreeSet;

/**
 * The sequence numbers of events one connection's delivery dropped (full queue, full hold), so that a later
 * {@code sync} replays them instead of treating them as delivered. Bounded to the newest {@link #CAPACITY}; a sync
 * that reaches further back finds them in the history anyway, or reports what it cannot recover. Not thread-safe:
 * the connection's delivery guards it.
 */
final class DroppedSeqs {

    /** Most dropped sequence numbers remembered. */
    static final int CAPACITY = 10_000;

    private final TreeSet<Long> seqs = new TreeSet<>();

    void remember(long seq) {
        seqs.add(seq);
        if (seqs.size() > CAPACITY) {
            seqs.pollFirst();
        }
    }

    boolean contains(long seq) {
        return seqs.contains(seq);
    }

    /** The event was replayed: it no longer counts as dropped. */
    void forget(long seq) {
        seqs.remove(seq);
    }
}
