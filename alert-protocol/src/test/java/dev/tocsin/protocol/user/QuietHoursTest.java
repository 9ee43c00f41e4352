package dev.tocsin.protocol.user;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuietHoursTest {

    @Test
    void aWindowAcrossMidnightInTheUsersZone() {
        QuietHours night = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), "Europe/Berlin", true);
        assertTrue(night.contains(Instant.parse("2026-11-23T22:30:00Z")), "23:30 in Berlin");
        assertTrue(night.contains(Instant.parse("2026-11-24T05:59:00Z")), "06:59 in Berlin");
        assertFalse(night.contains(Instant.parse("2026-11-24T06:00:00Z")), "07:00 in Berlin: end is exclusive");
        assertFalse(night.contains(Instant.parse("2026-11-23T12:00:00Z")), "13:00 in Berlin");
    }

    @Test
    void aWindowWithinOneDay() {
        QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0), "UTC", false);
        assertTrue(lunch.contains(Instant.parse("2026-11-23T12:00:00Z")));
        assertFalse(lunch.contains(Instant.parse("2026-11-23T13:00:00Z")));
    }

    @Test
    void channelsTravelAsJsonWithDefaults() {
        ContactChannels channels = Json.decode("""
                {"userId":"alice","telegramChatId":"42","fcmTokens":["t1"],
                 "quietHours":{"start":"22:00","end":"07:00","zone":"Europe/Berlin","criticalOverride":true}}""",
                ContactChannels.class);
        assertEquals(Priority.HIGH, channels.effectiveMinPriority());
        assertEquals(LocalTime.of(22, 0), channels.quietHours().start());
        assertTrue(Json.encode(channels).contains("\"start\":\"22:00:00\""), Json.encode(channels));
    }
}
