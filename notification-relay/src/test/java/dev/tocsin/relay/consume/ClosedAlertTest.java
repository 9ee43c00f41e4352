package dev.tocsin.relay.consume;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which alerts the relay stops pushing and escalating: every status but active, and any acknowledged alert. */
class ClosedAlertTest {

    @Test
    void onlyAnActiveUnacknowledgedAlertStaysOpen() {
        for (AlertStatus status : AlertStatus.values()) {
            assertEquals(status != AlertStatus.ACTIVE, EventHandler.isClosed(alert(status, null)), status.name());
        }
        assertEquals(true, EventHandler.isClosed(alert(AlertStatus.ACTIVE, "vera")));
        // An un-acknowledged alert (acknowledgedBy gone again) is open.
        assertEquals(false, EventHandler.isClosed(alert(null, null)));
    }

    private static Alert alert(AlertStatus status, String acknowledgedBy) {
        Instant now = Instant.now();
        return new Alert("a-1", Priority.CRITICAL, "system_health", "t", "m", "s", null, null, null, null, false,
                null, null, now, now, Audience.EVERYONE, null, status, acknowledgedBy,
                acknowledgedBy == null ? null : now, null, null, AlertChange.UPDATED, null, 2);
    }
}
