package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;

import java.util.ArrayList;
import java.util.List;

/**
 * The alerts of one connection waiting for the batch window, one list per non-critical priority, each in arrival
 * order (not thread-safe: the owner synchronizes). A list that reaches the maximum size is handed back at once.
 */
public final class PriorityBatches {

    private final int maxSize;
    @SuppressWarnings("unchecked")
    private final List<EncodedAlert>[] pending = new List[Priority.values().length];
    private int count;

    public PriorityBatches(int maxSize) {
        this.maxSize = Math.max(1, maxSize);
    }

    /** Adds an alert; returns a full batch to send now, or null. */
    public List<EncodedAlert> add(EncodedAlert alert) {
        int index = alert.priority().ordinal();
        List<EncodedAlert> list = pending[index];
        if (list == null) {
            list = new ArrayList<>();
            pending[index] = list;
        }
        list.add(alert);
        count++;
        return list.size() >= maxSize ? take(alert.priority()) : null;
    }

    /** Takes the waiting alerts of one priority (empty list when none). */
    public List<EncodedAlert> take(Priority priority) {
        List<EncodedAlert> list = pending[priority.ordinal()];
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        pending[priority.ordinal()] = null;
        count -= list.size();
        return list;
    }

    /** Takes every waiting alert, one list per priority, most urgent first. */
    public List<List<EncodedAlert>> takeAll() {
        List<List<EncodedAlert>> batches = new ArrayList<>();
        for (Priority priority : Priority.values()) {
            List<EncodedAlert> list = take(priority);
            if (!list.isEmpty()) {
                batches.add(list);
            }
        }
        return batches;
    }

    /** The oldest sequence number waiting, or {@code Long.MAX_VALUE}; each list is in sequence order. */
    public long oldestSeq() {
        long oldest = Long.MAX_VALUE;
        for (List<EncodedAlert> list : pending) {
            if (list != null && !list.isEmpty()) {
                oldest = Math.min(oldest, list.get(0).seq());
            }
        }
        return oldest;
    }

    /** The epoch of the alerts waiting, or null when none waits. */
    public String epoch() {
        for (List<EncodedAlert> list : pending) {
            if (list != null && !list.isEmpty()) {
                return list.get(0).epoch();
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int size() {
        return count;
    }
}
