package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.hub.EventTranslation;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;

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

    /** A frame from the offline inbox: without a cursor (see {@link OutboundFrame#fromInbox}). */
    static OutboundFrame fromInbox(AlertEvent event) {
        EventTranslation.Frame frame = EventTranslation.translate(event);
        return OutboundFrame.fromInbox(frame.type(), Json.encode(frame.message()), event.seq(),
                frame.newAlert() ? event.alertId() : null);
    }
}
