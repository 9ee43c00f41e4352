package dev.tocsin.gateway.pipeline;

import dev.tocsin.protocol.event.AlertEvent;
import io.smallrye.mutiny.Uni;

import java.util.List;

/** Read access to the bounded history of events (the Redis stream {@code <prefix>history}, entry id {@code <seq>-0}). */
public interface EventHistory {

    /**
     * The events with {@code fromSeq <= seq <= toSeq} still held, in sequence order. Trimmed or unreadable entries are
     * simply absent: the caller sees the hole.
     */
    Uni<List<AlertEvent>> range(long fromSeq, long toSeq);

    /** The newest position as Redis holds it now; fields null when nothing was published yet. */
    Uni<Tail> tail();

    /** The sequence number of the oldest entry still held, or null when the history is empty. */
    Uni<Long> oldestSeq();

    /** The current epoch and last assigned sequence number (both null in an empty Redis). */
    record Tail(String epoch, Long seq) {
    }
}
