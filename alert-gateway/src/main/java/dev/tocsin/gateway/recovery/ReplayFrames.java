package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.hub.EventTranslation;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.MessageTypes;
import dev.tocsin.protocol.message.ServerMessage;

/** An event as the frame a replay sends: the same frame live delivery would send, never batched. */
final class ReplayFrames {

    private ReplayFrames() {
    }

    /** A frame replayed by {@code sync}: it carries the connection's cursor like a live one. */
    static OutboundFrame of(AlertEvent event) {
        EventTranslation.Frame frame = EventTranslation.translate(event);
        // Replayed alerts are old news: their age is not the live path's latency, so none is recorded (createdAt 0).
        // A replayed new alert is recorded as delivered once written, like a live one; changes are not deliveries.
        return OutboundFrame.replay(frame.type(), Json.encode(frame.message()), event.epoch(), event.seq(),
                frame.newAlert() ? event.alertId() : null);
    }

    /**
     * A frame from the offline inbox: without a cursor (see {@link OutboundFrame#fromInbox}). The relay keeps an
     * entry current, so it may hold the alert's latest change rather than its creation; either way the user has
     * not seen the alert, so it goes out as an {@code alert} frame with the alert as it is now ({@code op}
     * {@code updated} for a changed one), which a client adds like any new alert.
     */
    static OutboundFrame fromInbox(AlertEvent event) {
        if (event.op() == ChangeOp.UPDATED && event.alert() != null) {
            ServerMessage.AlertMessage alert = new ServerMessage.AlertMessage(event.epoch(), event.seq(), event.op(),
                    event.alertId(), event.alert().version(), event.alert(), null);
            return OutboundFrame.fromInbox(MessageTypes.ALERT, Json.encode(alert), event.seq(), event.alertId());
        }
        EventTranslation.Frame frame = EventTranslation.translate(event);
        return OutboundFrame.fromInbox(frame.type(), Json.encode(frame.message()), event.seq(),
                frame.newAlert() ? event.alertId() : null);
    }
}
