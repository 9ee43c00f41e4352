package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.protocol.event.AlertEvent;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The frames {@code sync} replays, encoded once per event instead of once per connection: in a reconnect storm
 * thousands of connections are replayed the same last seconds (JSON encoding was 25 of 176 profile samples of the
 * storm's survivor without this, 9 of 166 with it). A replayed frame depends only on its event (the cursor is appended
 * as it is written), and an event is known by its position ({@code epoch}, {@code seq}: a position is never handed
 * out twice), so the cache is a small array indexed by {@code seq}; a slot holds the newest event that maps to it.
 * Lock-free: two loops encoding the same event at once only do the work twice.
 */
final class ReplayFrameCache {

    private final AtomicReferenceArray<OutboundFrame> slots;

    /** @param size how many positions are remembered (the newest ones in practice); 0 encodes every time */
    ReplayFrameCache(int size) {
        this.slots = new AtomicReferenceArray<>(Math.max(0, size));
    }

    /** The replayed frame of {@code event}, as {@link ReplayFrames#of} makes it. */
    OutboundFrame frameOf(AlertEvent event) {
        if (slots.length() == 0) {
            return ReplayFrames.of(event);
        }
        int slot = (int) Math.floorMod(event.seq(), (long) slots.length());
        OutboundFrame cached = slots.get(slot);
        if (cached != null && cached.fromSeq() == event.seq() && Objects.equals(cached.epoch(), event.epoch())) {
            return cached;
        }
        OutboundFrame frame = ReplayFrames.of(event);
        slots.set(slot, frame);
        return frame;
    }
}
