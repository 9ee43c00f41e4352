package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.message.Cursor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cursor's text written as bytes is exactly the protocol's {@link Cursor#format} (plain JUnit). */
class CursorBytesTest {

    private static final long[] NUMBERS = {0, 1, 9, 10, 99, 100, 12_345, 999_999_999_999L, Long.MAX_VALUE};

    @Test
    void digitsAreTheDecimalText() {
        for (long number : NUMBERS) {
            byte[] into = new byte[CursorBytes.digits(number) + 2];
            int end = CursorBytes.putDigits(into, 1, number);
            assertEquals(into.length - 1, end);
            assertEquals(Long.toString(number), new String(into, 1, end - 1, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aBaseWithLanesIsTheFormattedCursor() {
        Priority[] priorities = Priority.values();
        for (long base : NUMBERS) {
            // every subset of lanes above the base, each at a different distance
            for (int mask = 0; mask < 1 << priorities.length; mask++) {
                long[] lanes = new long[priorities.length];
                int length = CursorBytes.digits(base);
                for (int i = 0; i < lanes.length; i++) {
                    if ((mask & 1 << i) != 0 && base < Long.MAX_VALUE - 1000) {
                        lanes[i] = base + 1 + i * 97L;
                        length += CursorBytes.laneLength(i, lanes[i]);
                    }
                }
                byte[] text = new byte[length];
                int at = CursorBytes.putDigits(text, 0, base);
                for (int i = 0; i < lanes.length; i++) {
                    if (lanes[i] > base) {
                        at = CursorBytes.putLane(text, at, i, lanes[i]);
                    }
                }
                assertEquals(length, at);
                assertEquals(Cursor.format(base, lanes), new String(text, StandardCharsets.US_ASCII));
            }
        }
    }
}
