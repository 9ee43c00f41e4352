package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;

/** Small encoded frames for the delivery's plain tests: the text names the priority and seq, so order is visible. */
final class Frames {

    private Frames() {
    }

    /** The epoch of the frames made here. */
    static final String EPOCH = "e1";

    /** A new alert as the fan-out hands it over; its frame's text is {@code alert:<PRIORITY>-<seq>}. */
    static EncodedAlert alert(Priority priority, long seq) {
        String name = priority + "-" + seq;
        return new EncodedAlert(EPOCH, seq, priority, 0, "alert:" + name, "\"" + name + "\"", "id-" + seq);
    }

    /** A change of an alert ({@code alert_update}); text {@code change:<PRIORITY>-<seq>}. */
    static OutboundFrame change(Priority priority, long seq) {
        return OutboundFrame.event("alert_update", "change:" + priority + "-" + seq, priority, EPOCH, seq);
    }

    /** An answer or notice; text {@code control:<name>}. */
    static OutboundFrame control(String name) {
        return OutboundFrame.control("pong", "control:" + name);
    }
}
