package dev.tocsin.ingest.changestream;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells when an event's {@code alert.lastChange} cannot be the change the event stands for ({@code stateOnly} in
 * {@link dev.tocsin.protocol.event.AlertEvent}). The tailer reads each changed alert after the change
 * ({@code updateLookup}), so two writes in quick succession both arrive as the later document. That is harmless
 * when the event becomes a frame carrying the whole alert, but an acknowledgment travels as {@code alert_ack} and a
 * note as {@code alert_note}, neither of which carries it: an edit or assignment made just before would never reach
 * live clients. The check: an acknowledgment raises the version by one and a note not at all, so an event whose
 * version rose by more since the last one published for the alert holds an earlier write too.
 * <p>
 * Remembers the last published version of the most recent {@value #CAPACITY} alerts, in memory: after a restart, or
 * for an alert not seen lately, it cannot tell and trusts {@code lastChange} (as before this check). Used by the
 * tailer's thread only.
 */
final class LookedUpLater {

    static final int CAPACITY = 10_000;

    private final Map<String, Long> lastVersion = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Whether the event of this change must be taken as the alert's state only; records its version either way. */
    boolean stateOnly(String alertId, Alert alert) {
        if (alert == null) {
            lastVersion.remove(alertId);
            return false;
        }
        Long before = lastVersion.put(alertId, alert.version());
        if (before == null || alert.lastChange() == null) {
            return false;
        }
        return switch (alert.lastChange()) {
            case ACKNOWLEDGED -> alert.version() > before + 1;
            case NOTED -> alert.version() > before;
            default -> false;
        };
    }
}
