package dev.tocsin.gateway.broker;

import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.CodecException;
import dev.tocsin.protocol.json.Json;

/**
 * Decodes one message of the event channel, once, into an {@link AlertEvent} and checks what the fan-out relies
 * on: an operation, an alert id, and an alert body unless the alert was deleted.
 */
public final class AlertEventDecoder {

    private AlertEventDecoder() {
    }

    public static AlertEvent decode(String text) {
        if (text == null || text.isBlank()) {
            throw new RejectedEventException(RejectedEventException.Reason.MALFORMED, "empty message");
        }
        AlertEvent event;
        try {
            event = Json.decode(text, AlertEvent.class);
        } catch (CodecException e) {
            throw new RejectedEventException(RejectedEventException.Reason.MALFORMED, e.getMessage());
        }
        if (event == null) {
            throw new RejectedEventException(RejectedEventException.Reason.MALFORMED, "not a JSON object");
        }
        if (event.op() == null) {
            throw new RejectedEventException(RejectedEventException.Reason.INVALID, "missing op");
        }
        if (event.alertId() == null || event.alertId().isBlank()) {
            throw new RejectedEventException(RejectedEventException.Reason.INVALID, "missing alertId");
        }
        if (event.op() != ChangeOp.DELETED && event.alert() == null) {
            throw new RejectedEventException(RejectedEventException.Reason.INVALID,
                    "missing alert for op " + event.op().name().toLowerCase(java.util.Locale.ROOT));
        }
        return event;
    }
}
