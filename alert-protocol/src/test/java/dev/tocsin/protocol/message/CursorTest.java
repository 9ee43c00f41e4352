package dev.tocsin.protocol.message;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.json.CodecException;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CursorTest {

    @Test
    void aBaseAloneIsANumberInAString() {
        assertEquals("42", Cursor.format(42, new long[5]));
        assertEquals("42", Cursor.format(42, new long[] {40, 42, 0, 0, 0}), "lanes at or below the base say nothing");
        assertEquals(Cursor.of(42), Cursor.parse("42"));
    }

    @Test
    void lanesAheadOfTheBaseRoundTrip() {
        String text = Cursor.format(42, new long[] {45, 0, 0, 44, 0});
        assertEquals("42;critical=45;low=44", text);
        Cursor cursor = Cursor.parse(text);
        assertEquals(42, cursor.base());
        assertEquals(text, cursor.toString());
    }

    @Test
    void coversTheBaseAndEachLane() {
        Cursor cursor = Cursor.parse("42;critical=45");
        assertTrue(cursor.covers(42, Priority.LOW));
        assertTrue(cursor.covers(45, Priority.CRITICAL));
        assertTrue(cursor.covers(44, null), "an event without an alert is written in the critical lane");
        assertFalse(cursor.covers(43, Priority.LOW), "the low alert 43 was overtaken, not written");
        assertFalse(cursor.covers(46, Priority.CRITICAL));
    }

    @Test
    void refusesWhatTheServerNeverSent() {
        for (String bad : new String[] {"", "-1", "4x", "42;urgent=50", "42;critical", "42;critical=", "1".repeat(300)}) {
            assertThrows(IllegalArgumentException.class, () -> Cursor.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Cursor.of(-1));
    }

    @Test
    void syncTakesACursorStringOrAV1Number() {
        ClientMessage.Sync v11 = (ClientMessage.Sync) Json.decode(
                "{\"type\":\"sync\",\"since\":\"42;high=47\",\"epoch\":\"e\"}", ClientMessage.class);
        assertEquals(Cursor.parse("42;high=47"), v11.since());
        ClientMessage.Sync v1 = (ClientMessage.Sync) Json.decode("{\"type\":\"sync\",\"since\":42,\"epoch\":\"e\"}",
                ClientMessage.class);
        assertEquals(Cursor.of(42), v1.since());
        assertThrows(CodecException.class, () -> Json.decode("{\"type\":\"sync\",\"since\":\"x\"}",
                ClientMessage.class));
        assertThrows(CodecException.class, () -> Json.decode("{\"type\":\"sync\",\"since\":-3}", ClientMessage.class));
    }

    @Test
    void isWrittenAsAString() {
        String json = Json.encode(new ServerMessage.Ping(java.time.Instant.EPOCH, "e", Cursor.parse("7;info=9")));
        assertTrue(json.contains("\"cursor\":\"7;info=9\""), json);
    }
}
