package dev.tocsin.gateway.pipeline;

import dev.tocsin.protocol.event.AlertEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The newest events the pipeline moved its position over, without a hole and in one epoch, so that a {@code sync}
 * can be answered without reading Redis. In a reconnect storm thousands of clients ask for the same few seconds at
 * once; reading them from the history per client put every sync behind the storm's other Redis traffic
 * (docs/benchmarks.md, "Performance, round two").
 *
 * <p>It holds what the history holds for those positions: every event the pipeline delivered, and the replays it
 * dropped by change id at the next position (they are history entries too). A hole the pipeline could not fill or a
 * new epoch starts it over, so a range it answers is always complete. Bounded by a number of events and by their
 * estimated heap ({@link EventFootprint}); the oldest make room. Not thread-safe: the pipeline's monitor guards it.
 */
final class RecentEvents {

    private final AlertEvent[] ring;
    private final long[] footprints;
    private final long maxBytes;
    private long bytes;
    private String epoch;
    /** The sequence number of the oldest event held. */
    private long firstSeq;
    /** The ring index of the oldest event held. */
    private int head;
    private int size;

    /**
     * @param capacity how many events are kept; 0 keeps none
     * @param maxBytes how much heap they may hold, by {@link EventFootprint}; an event larger than this alone starts
     *                 the window over after it
     */
    RecentEvents(int capacity, long maxBytes) {
        this.ring = new AlertEvent[Math.max(0, capacity)];
        this.footprints = new long[ring.length];
        this.maxBytes = maxBytes;
    }

    /** The event at the position after the newest held, or the first after a hole or in a new epoch. */
    void add(AlertEvent event) {
        if (ring.length == 0) {
            return;
        }
        long footprint = EventFootprint.of(event);
        if (footprint > maxBytes) {
            clear(); // cannot be held: what follows it starts a new window
            return;
        }
        if (size == 0 || !Objects.equals(epoch, event.epoch()) || event.seq() != firstSeq + size) {
            clear();
            epoch = event.epoch();
            firstSeq = event.seq();
        }
        while (size == ring.length || (size > 0 && bytes + footprint > maxBytes)) {
            dropOldest();
        }
        int slot = (head + size) % ring.length;
        ring[slot] = event;
        footprints[slot] = footprint;
        bytes += footprint;
        size++;
    }

    private void dropOldest() {
        ring[head] = null;
        bytes -= footprints[head];
        head = (head + 1) % ring.length;
        firstSeq++;
        size--;
    }

    /** The estimated heap of the events held. */
    long bytes() {
        return bytes;
    }

    /** Forgets everything: the positions that follow are not contiguous with what was held. */
    void clear() {
        Arrays.fill(ring, null);
        head = 0;
        size = 0;
        bytes = 0;
        epoch = null;
    }

    /**
     * Events {@code from..to} of {@code epoch} in sequence order, when every one of them is held and the first was
     * published at or after {@code notBefore}; null otherwise (the caller reads the history instead).
     */
    List<AlertEvent> range(String epoch, long from, long to, Instant notBefore) {
        if (size == 0 || from > to || !Objects.equals(this.epoch, epoch) || from < firstSeq
                || to > firstSeq + size - 1) {
            return null;
        }
        AlertEvent first = at(from);
        if (first.publishedAt() != null && first.publishedAt().isBefore(notBefore)) {
            return null;
        }
        List<AlertEvent> events = new ArrayList<>((int) (to - from + 1));
        for (long seq = from; seq <= to; seq++) {
            events.add(at(seq));
        }
        return events;
    }

    private AlertEvent at(long seq) {
        return ring[(int) ((head + (seq - firstSeq)) % ring.length)];
    }
}
