package dev.tocsin.ingest.changestream;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LookedUpLaterTest {

    private final LookedUpLater check = new LookedUpLater();

    @Test
    void anAcknowledgmentOrNoteThatHidesAnEarlierWriteIsStateOnly() {
        assertFalse(check.stateOnly("a", alert(1, AlertChange.CREATED)));
        // an edit (v2) then an ack (v3) read back together: the edit's event already says "acknowledged" at v3
        assertTrue(check.stateOnly("a", alert(3, AlertChange.ACKNOWLEDGED)));
        // the ack's own event: the same state again, trusted
        assertFalse(check.stateOnly("a", alert(3, AlertChange.ACKNOWLEDGED)));
        // an assignment (v4) then a note (v4: notes keep the version) read back together
        assertTrue(check.stateOnly("a", alert(4, AlertChange.NOTED)));
        assertFalse(check.stateOnly("a", alert(4, AlertChange.NOTED)));
    }

    @Test
    void ordinaryChangesAndUnknownAlertsAreTrusted() {
        assertFalse(check.stateOnly("b", alert(7, AlertChange.ACKNOWLEDGED)), "not seen before (e.g. after a restart)");
        assertFalse(check.stateOnly("b", alert(8, AlertChange.UNACKNOWLEDGED)));
        assertFalse(check.stateOnly("b", alert(9, AlertChange.ACKNOWLEDGED)), "one version up: the ack itself");
        assertFalse(check.stateOnly("b", alert(9, AlertChange.NOTED)), "a note keeps the version");
        assertFalse(check.stateOnly("b", alert(12, AlertChange.UPDATED)), "frames of other changes carry the alert");
        assertFalse(check.stateOnly("b", null), "a delete");
        assertFalse(check.stateOnly("b", alert(14, AlertChange.ACKNOWLEDGED)), "forgotten after the delete");
    }

    private static Alert alert(long version, AlertChange change) {
        Instant now = Instant.now();
        return new Alert("a", Priority.HIGH, "t", "title", "m", "s", null, null, null, null, false, null, null, now,
                now, Audience.of(List.of("u"), List.of()), Map.of(), AlertStatus.ACTIVE, null, null, null, null,
                change, null, version);
    }
}
