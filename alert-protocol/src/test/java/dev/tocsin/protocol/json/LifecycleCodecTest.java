package dev.tocsin.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.Cursor;
import dev.tocsin.protocol.message.ServerMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The assignee, notes and the life-cycle messages through the one codec: wire shape and round trip. */
class LifecycleCodecTest {

    private static final Instant AT = Instant.parse("2026-12-04T10:15:30.123Z");
    private static final Alert ASSIGNED = new Alert("65f0c0ffee0000000000abcd", Priority.HIGH, "outbreak_risk", "t",
            "m", "s", null, null, null, null, false, null, null, AT, AT, Audience.EVERYONE, null, AlertStatus.ACTIVE,
            null, null, null, null, AlertChange.ASSIGNED, null, 2, null, null, null, Assignee.user("bob"), "carol", AT,
            3);

    @Test
    void anAssignedAlertRoundTripsWithItsAssigneeAndNoteCount() {
        JsonNode tree = Json.tree(Json.encode(ASSIGNED));
        assertEquals("user", tree.path("assignee").path("kind").asText());
        assertEquals("bob", tree.path("assignee").path("id").asText());
        assertEquals("assigned", tree.path("lastChange").asText());
        assertEquals(3, tree.path("noteCount").asInt());
        assertFalse(tree.has("notes"), "an alert never carries its notes");
        assertEquals(ASSIGNED, Json.decode(Json.encode(ASSIGNED), Alert.class));
    }

    @Test
    void anAlertWithoutTheNewFieldsDecodesUnassignedWithoutNotes() {
        Alert old = Json.decode("{\"id\":\"a\",\"priority\":\"low\",\"type\":\"t\",\"title\":\"t\",\"message\":\"m\","
                + "\"source\":\"s\",\"version\":1}", Alert.class);
        assertNull(old.assignee());
        assertEquals(0, old.noteCount());
    }

    @Test
    void aNoteEventRoundTripsWithItsNote() {
        AlertNote note = new AlertNote("65f0c0ffee0000000000c001", "bob", AT, "pump fixed");
        AlertEvent event = new AlertEvent("e", 7, ChangeOp.UPDATED, ASSIGNED.id(), ASSIGNED, "c-1", AT, note);
        assertEquals(event, Json.decode(Json.encode(event), AlertEvent.class));
        AlertEvent without = new AlertEvent("e", 8, ChangeOp.UPDATED, ASSIGNED.id(), ASSIGNED, "c-2", AT);
        assertFalse(Json.tree(Json.encode(without)).has("note"));
    }

    @Test
    void lifecycleMessagesHaveTheirWireTypes() {
        assertEquals(new ClientMessage.Assign("a", "x", null, "oncall"),
                Json.decode("{\"type\":\"assign\",\"id\":\"a\",\"alertId\":\"x\",\"group\":\"oncall\"}",
                        ClientMessage.class));
        assertEquals(new ClientMessage.Note("n", "x", "t"),
                Json.decode("{\"type\":\"note\",\"id\":\"n\",\"alertId\":\"x\",\"text\":\"t\"}", ClientMessage.class));
        assertEquals(new ClientMessage.Resolve(null, "x", null),
                Json.decode("{\"type\":\"resolve\",\"alertId\":\"x\"}", ClientMessage.class));
        assertEquals(new ClientMessage.Unack("u", "x"),
                Json.decode("{\"type\":\"unack\",\"id\":\"u\",\"alertId\":\"x\"}", ClientMessage.class));
        JsonNode frame = Json.tree(Json.encode(new ServerMessage.AlertNoteAdded("e", 9, "x",
                new AlertNote("n1", "bob", AT, "t"), 1, Cursor.of(9))));
        assertEquals("alert_note", frame.path("type").asText());
        assertEquals("2026-12-04T10:15:30.123Z", frame.path("note").path("at").asText());
        assertEquals("action_result", Json.tree(Json.encode(new ServerMessage.ActionResult("r", "assign", "x", 2,
                ASSIGNED))).path("type").asText());
    }
}
