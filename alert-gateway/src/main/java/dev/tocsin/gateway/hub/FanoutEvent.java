package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.delivery.EncodedAlert;
import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.protocol.event.AlertEvent;

/**
 * One event as handed to the shards: encoded once, shared by every connection. Exactly one of {@code alert} (a new
 * alert: subscriptions, filters and batching apply) and {@code change} (a change of one: sent to every connection
 * the audience allows) is set.
 */
record FanoutEvent(AlertEvent event, EncodedAlert alert, OutboundFrame change) {
}
