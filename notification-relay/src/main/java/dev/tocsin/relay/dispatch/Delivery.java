package dev.tocsin.relay.dispatch;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.relay.escalation.Step;

/**
 * One push to decide on: an alert, in a step, to a user, on a channel, at an address (Telegram chat id or FCM
 * token).
 *
 * @param skipReason why it is not sent (recorded as skipped), or null to send
 */
record Delivery(Alert alert, Step step, String user, DeliveryChannel channel, String address, String skipReason) {
}
