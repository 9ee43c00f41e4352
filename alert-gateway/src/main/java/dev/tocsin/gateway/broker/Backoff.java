package dev.tocsin.gateway.broker;

import java.time.Duration;

/** Exponential back-off between subscription attempts: initial, doubled per failed attempt, capped. */
public final class Backoff {

    private Backoff() {
    }

    /** The wait before attempt {@code attempt} (0 = first retry). */
    public static Duration delay(int attempt, Duration initial, Duration max) {
        long initialMs = Math.max(1, initial.toMillis());
        long maxMs = Math.max(initialMs, max.toMillis());
        int shift = Math.min(Math.max(attempt, 0), 30);
        long delay = initialMs << shift;
        return Duration.ofMillis(delay <= 0 || delay > maxMs ? maxMs : delay);
    }
}
