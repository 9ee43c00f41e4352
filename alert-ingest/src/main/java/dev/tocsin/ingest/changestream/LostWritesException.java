package dev.tocsin.ingest.changestream;

import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;

/**
 * Redis's history of the stored epoch ends before the position this service stored: writes it acknowledged are
 * gone (a Sentinel failover to a replica that had not received them, or a restore from an older snapshot). Nothing
 * was written. Carries the last entry that survived; the tailer re-publishes every change after it.
 */
public final class LostWritesException extends RuntimeException {

    static final String CODE = "LOSTWRITES";

    private final long survivingSeq;
    private final AlertEvent survivingEvent;

    LostWritesException(long survivingSeq, AlertEvent survivingEvent) {
        super("Redis history ends at seq " + survivingSeq + ", before the stored position", null, false, false);
        this.survivingSeq = survivingSeq;
        this.survivingEvent = survivingEvent;
    }

    /** From the script's error {@code LOSTWRITES <seq> <event JSON>}; the event is null when it cannot be read. */
    static LostWritesException parse(String message) {
        String[] parts = message.split(" ", 3);
        long seq = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
        AlertEvent event = null;
        if (parts.length > 2 && !parts[2].isBlank()) {
            try {
                event = Json.decode(parts[2], AlertEvent.class);
            } catch (RuntimeException e) {
                event = null; // an entry we cannot read: the caller falls back to re-publishing by time
            }
        }
        return new LostWritesException(seq, event);
    }

    /** The last history entry's seq that survived. */
    public long survivingSeq() {
        return survivingSeq;
    }

    /** The last history entry that survived; null when unreadable. */
    public AlertEvent survivingEvent() {
        return survivingEvent;
    }
}
