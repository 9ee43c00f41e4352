package dev.tocsin.protocol.user;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A daily window in which a user gets no pushes, in the user's time zone; {@code end} before {@code start}
 * spans midnight. With {@code criticalOverride} critical alerts still get through.
 */
public record QuietHours(LocalTime start, LocalTime end, String zone, boolean criticalOverride) {

    /** Whether the instant falls inside the window (start inclusive, end exclusive). */
    public boolean contains(java.time.Instant instant) {
        LocalTime local = ZonedDateTime.ofInstant(instant, ZoneId.of(zone == null ? "UTC" : zone)).toLocalTime();
        if (start.equals(end)) {
            return false;
        }
        return start.isBefore(end)
                ? !local.isBefore(start) && local.isBefore(end)
                : !local.isBefore(start) || local.isBefore(end);
    }
}
