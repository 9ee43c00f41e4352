package dev.tocsin.protocol.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.tocsin.protocol.alert.Priority;

import java.util.Arrays;

/**
 * A resume cursor (protocol v1.1): what one connection was written, as a client hands it back in
 * {@code sync {since: cursor, epoch}}. Opaque to clients; on the wire a string: {@code "42"}, or
 * {@code "42;critical=45;low=44"} when events of some priorities went out ahead of older ones.
 *
 * <ul>
 *   <li>{@code base} (42): every event at or below it that the connection is entitled to was written to it.</li>
 *   <li>a lane per priority ({@code critical=45}): every event of that priority up to there was written too. Frames of
 *       one priority leave in sequence order, but a critical alert overtakes a lower-priority one waiting for its batch
 *       window; the lane says so, and a replay from this cursor skips the critical alert instead of sending it twice.</li>
 * </ul>
 * The priority of an event is its alert's; an event without an alert (a delete) counts as critical, the lane it is
 * written in. A plain number ({@code since: 42}, protocol v1) is a cursor with no lanes.
 */
public final class Cursor {

    /** Longest cursor text accepted from a client: a base and five lanes fit in far less. */
    public static final int MAX_LENGTH = 200;

    private static final Priority[] PRIORITIES = Priority.values();
    private static final long[] NO_LANES = new long[PRIORITIES.length];

    private final long base;
    /** Indexed by {@link Priority#ordinal()}; a value at or below {@code base} says nothing more than the base. */
    private final long[] lanes;

    private Cursor(long base, long[] lanes) {
        this.base = base;
        this.lanes = lanes;
    }

    /** A cursor without lanes: everything the connection is entitled to up to {@code base} was written. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Cursor of(long base) {
        if (base < 0) {
            throw new IllegalArgumentException("a cursor is at least 0");
        }
        return new Cursor(base, NO_LANES);
    }

    /** Reads a cursor's text; throws {@link IllegalArgumentException} naming what is wrong. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Cursor parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a cursor is a non-empty string of at most " + MAX_LENGTH
                    + " characters, as the server sent it");
        }
        String[] parts = text.split(";", -1);
        long base = number(parts[0]);
        long[] lanes = parts.length == 1 ? NO_LANES : new long[PRIORITIES.length];
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("not a cursor the server sent: " + quoted(text));
            }
            Priority lane = priority(parts[i].substring(0, equals), text);
            lanes[lane.ordinal()] = Math.max(lanes[lane.ordinal()], number(parts[i].substring(equals + 1)));
        }
        return new Cursor(base, lanes);
    }

    /**
     * The text of a cursor: {@code base}, then each lane above it; {@code lanes} indexed by priority ordinal (a shorter
     * array, or values at or below {@code base}, name no lane). For the gateway's write path: one small string.
     */
    public static String format(long base, long[] lanes) {
        StringBuilder text = null;
        for (int i = 0; i < lanes.length && i < PRIORITIES.length; i++) {
            if (lanes[i] > base) {
                if (text == null) {
                    text = new StringBuilder(40).append(base);
                }
                text.append(';').append(PRIORITIES[i].wire()).append('=').append(lanes[i]);
            }
        }
        return text == null ? Long.toString(base) : text.toString();
    }

    /** The lane an event is written in: its alert's priority; critical for an event without one (a delete). */
    public static Priority laneOf(Priority alertPriority) {
        return alertPriority == null ? Priority.CRITICAL : alertPriority;
    }

    public long base() {
        return base;
    }

    /** Whether the event {@code seq}, whose alert has {@code priority} (null: none), was written before this cursor. */
    public boolean covers(long seq, Priority priority) {
        return seq <= base || seq <= lanes[laneOf(priority).ordinal()];
    }

    @JsonValue
    @Override
    public String toString() {
        return format(base, lanes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cursor cursor && cursor.base == base && Arrays.equals(lanesAbove(), cursor.lanesAbove());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(base) * 31 + Arrays.hashCode(lanesAbove());
    }

    private long[] lanesAbove() {
        long[] above = new long[PRIORITIES.length];
        for (int i = 0; i < above.length; i++) {
            above[i] = lanes[i] > base ? lanes[i] : 0;
        }
        return above;
    }

    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a cursor the server sent: " + quoted(digits));
        }
        return Long.parseLong(digits);
    }

    private static Priority priority(String name, String text) {
        for (Priority priority : PRIORITIES) {
            if (priority.wire().equals(name)) {
                return priority;
            }
        }
        throw new IllegalArgumentException("not a cursor the server sent: " + quoted(text));
    }

    private static String quoted(String text) {
        return "\"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
    }
}
