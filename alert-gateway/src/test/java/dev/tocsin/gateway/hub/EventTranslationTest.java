package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.message.MessageTypes;
import dev.tocsin.protocol.message.ServerMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTranslationTest {

    private final Alert alert = Events.alert("t-1", Audience.EVERYONE);

    @Test
    void createdIsANewAlert() {
        EventTranslation.Frame frame = EventTranslation.translate(Events.created(alert));
        assertTrue(frame.newAlert());
        assertInstanceOf(ServerMessage.AlertMessage.class, frame.message());
    }

    @Test
    void acknowledgmentIsAnAck() {
        Instant at = Instant.now();
        AlertEvent event = Events.updated(Events.changed(alert, AlertStatus.ACTIVE, "bob", at,
                AlertChange.ACKNOWLEDGED));
        EventTranslation.Frame frame = EventTranslation.translate(event);
        assertFalse(frame.newAlert());
        assertEquals(new ServerMessage.AlertAck(event.epoch(), event.seq(), "t-1", "bob", at,
                event.alert().version(), null), frame.message());
    }

    @Test
    void otherUpdatesAreAlertUpdatesWithTheirStatus() {
        assertEquals(ServerMessage.UpdateStatus.CLEARED, status(AlertChange.CLEARED));
        assertEquals(ServerMessage.UpdateStatus.EXPIRED, status(AlertChange.EXPIRED));
        assertEquals(ServerMessage.UpdateStatus.UPDATED, status(AlertChange.UPDATED));
        assertEquals(ServerMessage.UpdateStatus.UPDATED, status(null));
        assertEquals(ServerMessage.UpdateStatus.RESOLVED, status(AlertChange.RESOLVED));
        // An un-acknowledgment is the whole alert again, without acknowledgedBy: clients replace their copy.
        assertEquals(ServerMessage.UpdateStatus.UPDATED, status(AlertChange.UNACKNOWLEDGED));
    }

    @Test
    void everyChangeHasAFrame() {
        for (AlertChange change : AlertChange.values()) {
            AlertEvent event = Events.updated(Events.changed(alert, AlertStatus.ACTIVE, "bob", Instant.now(), change));
            assertFalse(EventTranslation.translate(event).newAlert(), change.name());
        }
    }

    @Test
    void aRetractionIsADeleteWithOnlyTheId() {
        AlertEvent event = Events.updated(Events.changed(alert, AlertStatus.RETRACTED, null, null,
                AlertChange.RETRACTED));
        ServerMessage.AlertUpdate update = (ServerMessage.AlertUpdate) EventTranslation.translate(event).message();
        assertEquals(ServerMessage.UpdateStatus.DELETED, update.status());
        assertEquals("t-1", update.alertId());
        assertNull(update.alert());
        assertNull(update.version());
    }

    @Test
    void deleteCarriesOnlyTheId() {
        ServerMessage.AlertUpdate update = (ServerMessage.AlertUpdate) EventTranslation.translate(Events.deleted("gone"))
                .message();
        assertEquals(ServerMessage.UpdateStatus.DELETED, update.status());
        assertEquals("gone", update.alertId());
        assertNull(update.alert());
    }

    private ServerMessage.UpdateStatus status(AlertChange change) {
        EventTranslation.Frame frame = EventTranslation.translate(Events.updated(
                Events.changed(alert, AlertStatus.ACTIVE, null, null, change)));
        assertFalse(frame.newAlert());
        return ((ServerMessage.AlertUpdate) frame.message()).status();
    }

    @Test
    void aNoteIsAnAlertNoteWithoutTheAlertAndAnAssignmentAnUpdate() {
        AlertNote note = new AlertNote("n-1", "bob", Instant.parse("2026-12-04T10:00:00Z"), "on it");
        AlertEvent noted = Events.noted(alert, note, 2);
        EventTranslation.Frame frame = EventTranslation.translate(noted);
        assertFalse(frame.newAlert(), "routed like a change: to everyone the audience allows");
        assertEquals(MessageTypes.ALERT_NOTE, frame.type());
        assertEquals(new ServerMessage.AlertNoteAdded(noted.epoch(), noted.seq(), "t-1", note, 2, null),
                frame.message());

        AlertEvent assigned = Events.assigned(alert, Assignee.group("oncall"), "carol", 2);
        ServerMessage.AlertUpdate update = assertInstanceOf(ServerMessage.AlertUpdate.class,
                EventTranslation.translate(assigned).message());
        assertEquals(ServerMessage.UpdateStatus.UPDATED, update.status());
        assertEquals(Assignee.group("oncall"), update.alert().assignee());
    }

    @Test
    void aStateOnlyEventIsAnUpdateWithTheWholeAlertWhateverItsLastChange() {
        // an assignment made just before a note: the note's event holds the assignment too (updateLookup)
        Alert assignedThenNoted = Events.assigned(alert, Assignee.user("olga"), "oscar", 2).alert();
        AlertNote note = new AlertNote("n-2", "olga", Instant.parse("2026-12-04T10:00:00Z"), "taking it");
        AlertEvent noted = Events.noted(assignedThenNoted, note, 1);
        AlertEvent hidden = new AlertEvent(noted.epoch(), noted.seq(), noted.op(), noted.alertId(), noted.alert(),
                noted.changeId(), noted.publishedAt(), noted.note(), true);
        ServerMessage.AlertUpdate update = assertInstanceOf(ServerMessage.AlertUpdate.class,
                EventTranslation.translate(hidden).message());
        assertEquals(ServerMessage.UpdateStatus.UPDATED, update.status());
        assertEquals(Assignee.user("olga"), update.alert().assignee());
        assertEquals(2L, update.version());
        assertEquals(1, update.alert().noteCount());

        // the same for an acknowledgment that hides an edit
        Alert acked = Events.versioned(Events.changed(alert, AlertStatus.ACTIVE, "bob", Instant.now(),
                AlertChange.ACKNOWLEDGED), 3);
        AlertEvent ackEvent = Events.updated(acked);
        assertEquals(MessageTypes.ALERT_ACK, EventTranslation.translate(ackEvent).type());
        AlertEvent ackHidingEdit = new AlertEvent(ackEvent.epoch(), ackEvent.seq(), ackEvent.op(), ackEvent.alertId(),
                acked, ackEvent.changeId(), ackEvent.publishedAt(), null, true);
        assertEquals(MessageTypes.ALERT_UPDATE, EventTranslation.translate(ackHidingEdit).type());
    }
}
