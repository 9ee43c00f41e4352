package dev.tocsin.gateway.pipeline;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.event.AlertEvent;

import java.util.Collection;
import java.util.Map;

/**
 * An estimate of the heap an event keeps alive, so that the {@link RecentEvents} window is bounded in bytes and not
 * only in events: an alert may name a thousand users and carry 16 KiB of metadata, a hundred times a typical one.
 * Counted: every string's characters (at two bytes each, the worst case of compact strings) plus an object header
 * and its fields, the collections' entries, and a fixed part for the records, enums and instants. It errs on the high
 * side; exactness would need an agent.
 */
final class EventFootprint {

    /** The event, its alert, audience, instants and boxed numbers, without their strings and collections. */
    static final long FIXED = 1_024;
    /** A String object and its array's header, without the characters. */
    static final long STRING = 56;
    /** An entry of a map, list or set: the node or slot and its share of the table. */
    static final long ENTRY = 48;

    private EventFootprint() {
    }

    static long of(AlertEvent event) {
        long bytes = FIXED + string(event.epoch()) + string(event.alertId()) + string(event.changeId());
        if (event.note() != null) {
            bytes += string(event.note().id()) + string(event.note().author()) + string(event.note().text());
        }
        Alert alert = event.alert();
        if (alert == null) {
            return bytes;
        }
        bytes += string(alert.id()) + string(alert.type()) + string(alert.title()) + string(alert.message())
                + string(alert.source()) + string(alert.actionUrl()) + string(alert.acknowledgedBy())
                + string(alert.clearedBy()) + string(alert.escalationGroup()) + string(alert.resolvedBy())
                + string(alert.resolution()) + string(alert.assignedBy());
        if (alert.location() != null) {
            bytes += string(alert.location().region());
        }
        if (alert.assignee() != null) {
            bytes += string(alert.assignee().id());
        }
        if (alert.audience() != null) {
            bytes += value(alert.audience().users()) + value(alert.audience().groups());
        }
        return bytes + value(alert.metadata());
    }

    private static long string(String text) {
        return text == null ? 0 : STRING + 2L * text.length();
    }

    /** Metadata and audience values: strings, numbers, booleans, and maps and lists of them. */
    private static long value(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof String text) {
            return string(text);
        }
        if (value instanceof Map<?, ?> map) {
            long bytes = ENTRY;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                bytes += ENTRY + value(entry.getKey()) + value(entry.getValue());
            }
            return bytes;
        }
        if (value instanceof Collection<?> items) {
            long bytes = ENTRY;
            for (Object item : items) {
                bytes += ENTRY + value(item);
            }
            return bytes;
        }
        return 24; // a boxed number or boolean
    }
}
