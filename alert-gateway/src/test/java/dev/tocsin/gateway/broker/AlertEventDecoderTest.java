package dev.tocsin.gateway.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AlertEventDecoderTest {

    @Test
    void decodesWhatIngestPublishes() {
        AlertEvent event = Events.created("a-1", null);
        assertEquals(event, AlertEventDecoder.decode(Events.json(event)));
    }

    @Test
    void decodesTheScriptSplicedForm() {
        // alert-ingest's Lua script splices epoch and seq in front of the body JSON.
        ObjectNode body = (ObjectNode) Json.tree(Events.json(Events.deleted("a-2")));
        body.remove("epoch");
        body.remove("seq");
        String spliced = "{\"epoch\":\"ep\",\"seq\":42," + Json.encode(body).substring(1);
        AlertEvent decoded = AlertEventDecoder.decode(spliced);
        assertEquals("ep", decoded.epoch());
        assertEquals(42, decoded.seq());
        assertEquals(ChangeOp.DELETED, decoded.op());
        assertNull(decoded.alert());
    }

    @Test
    void rejectsMalformedInputWithoutEchoingIt() {
        RejectedEventException e = assertThrows(RejectedEventException.class,
                () -> AlertEventDecoder.decode("{\"secret\":\"hunter2\""));
        assertEquals(RejectedEventException.Reason.MALFORMED, e.reason());
        assertFalse(e.getMessage().contains("hunter2"));
        assertEquals(RejectedEventException.Reason.MALFORMED,
                assertThrows(RejectedEventException.class, () -> AlertEventDecoder.decode("")).reason());
        assertEquals(RejectedEventException.Reason.MALFORMED,
                assertThrows(RejectedEventException.class, () -> AlertEventDecoder.decode("null")).reason());
        assertEquals(RejectedEventException.Reason.MALFORMED, assertThrows(RejectedEventException.class,
                () -> AlertEventDecoder.decode("{\"op\":\"exploded\",\"alertId\":\"x\"}")).reason());
    }

    @Test
    void rejectsEventsTheFanOutCannotRoute() {
        assertEquals(RejectedEventException.Reason.INVALID, assertThrows(RejectedEventException.class,
                () -> AlertEventDecoder.decode("{\"alertId\":\"x\"}")).reason());
        assertEquals(RejectedEventException.Reason.INVALID, assertThrows(RejectedEventException.class,
                () -> AlertEventDecoder.decode("{\"op\":\"created\"}")).reason());
        assertEquals(RejectedEventException.Reason.INVALID, assertThrows(RejectedEventException.class,
                () -> AlertEventDecoder.decode("{\"op\":\"updated\",\"alertId\":\"x\"}")).reason());
    }
}
