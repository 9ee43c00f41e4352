package dev.tocsin.protocol.delivery;

import java.time.Instant;

/**
 * Who was reached for an alert, how, when and with what outcome. The relay and the gateway hand records to
 * alert-ingest (command stream), which stores them; {@code GET /api/v1/alerts/{id}/deliveries} reads them.
 *
 * @param attempts how many attempts the outcome took
 * @param step     the escalation step that caused it ({@code offline}, or a step name such as {@code fcm-2m})
 * @param detail   a short, secret-free reason (for example {@code UNREGISTERED}, {@code quiet_hours})
 */
public record DeliveryRecord(String alertId, String user, DeliveryChannel channel, DeliveryOutcome outcome,
                             int attempts, String step, String detail, Instant at) {
}
