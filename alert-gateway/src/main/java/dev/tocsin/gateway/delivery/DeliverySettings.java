package dev.tocsin.gateway.delivery;

/**
 * The settings of one connection's delivery, read once from the configuration; nonsense values become the nearest
 * usable ones.
 *
 * @param batchWindowMs  how long non-critical alerts wait to leave together
 * @param maxBatchSize   most alerts in one {@code alert_batch}
 * @param queueSize      frames the outbound queue holds before its drop policy acts
 * @param stuckTimeoutMs how long the queue may stay full before the connection is closed
 * @param maxInFlight    most writes pending at once on the {@code sendText} fallback
 */
public record DeliverySettings(long batchWindowMs, int maxBatchSize, int queueSize, long stuckTimeoutMs,
                               int maxInFlight) {

    public DeliverySettings {
        batchWindowMs = Math.max(1, batchWindowMs);
        maxBatchSize = Math.max(1, maxBatchSize);
        queueSize = Math.max(1, queueSize);
        stuckTimeoutMs = Math.max(1, stuckTimeoutMs);
        maxInFlight = Math.max(1, maxInFlight);
    }
}
