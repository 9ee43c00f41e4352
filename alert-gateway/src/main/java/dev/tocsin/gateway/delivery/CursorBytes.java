package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.message.Cursor;

import java.nio.charset.StandardCharsets;

/**
 * The pieces of a cursor's text ({@link Cursor#format}) written as ASCII bytes into an array: the base's digits and
 * each lane's {@code ;<priority>=<seq>}. {@link ResumeCursor#tail} sizes its array with these, then fills it.
 */
final class CursorBytes {

    /** {@code ;<wire name>=} per priority ordinal, as {@link Cursor#format} writes a lane. */
    private static final byte[][] LANE_PREFIX = lanePrefixes();

    private CursorBytes() {
    }

    /** How many decimal digits a non-negative number has. */
    static int digits(long value) {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        return digits;
    }

    /** Writes a non-negative number's digits at {@code at}; returns the index after them. */
    static int putDigits(byte[] into, int at, long value) {
        int end = at + digits(value);
        long rest = value;
        for (int i = end - 1; i >= at; i--) {
            into[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return end;
    }

    /** The length of lane {@code ordinal} at {@code seq}: {@code ;critical=45}. */
    static int laneLength(int ordinal, long seq) {
        return LANE_PREFIX[ordinal].length + digits(seq);
    }

    /** Writes lane {@code ordinal} at {@code seq} at {@code at}; returns the index after it. */
    static int putLane(byte[] into, int at, int ordinal, long seq) {
        byte[] prefix = LANE_PREFIX[ordinal];
        System.arraycopy(prefix, 0, into, at, prefix.length);
        return putDigits(into, at + prefix.length, seq);
    }

    private static byte[][] lanePrefixes() {
        Priority[] priorities = Priority.values();
        byte[][] prefixes = new byte[priorities.length][];
        for (Priority priority : priorities) {
            prefixes[priority.ordinal()] = (";" + priority.wire() + "=").getBytes(StandardCharsets.US_ASCII);
        }
        return prefixes;
    }
}
