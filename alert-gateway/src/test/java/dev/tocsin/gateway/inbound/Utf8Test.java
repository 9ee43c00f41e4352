package dev.tocsin.gateway.inbound;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8Test {

    @Test
    void lengthMatchesTheJdkEncoder() {
        for (String text : new String[] {"", "abc", "\u00e9t\u00e9", "\u20ac100", "\uD83D\uDEA8 alert", "x\uD800y"}) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Utf8.length(text), text);
        }
    }

    @Test
    void exceedsCountsBytesNotChars() {
        assertFalse(Utf8.exceeds("abcd", 4));
        assertTrue(Utf8.exceeds("abcde", 4));
        assertTrue(Utf8.exceeds("\u20ac\u20ac", 5)); // 6 bytes
        assertFalse(Utf8.exceeds("\u20ac\u20ac", 6));
    }
}
