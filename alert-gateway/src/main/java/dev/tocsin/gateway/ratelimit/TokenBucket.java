package dev.tocsin.gateway.ratelimit;

/**
 * A token bucket (not thread-safe): holds up to {@code capacity} tokens and refills {@code capacity} tokens per
 * {@code periodMs}, continuously. Time is passed in, so the logic is testable without waiting.
 */
public final class TokenBucket {

    private final double capacity;
    private final double perMs;
    private double tokens;
    private long lastRefill;

    public TokenBucket(int capacity, long periodMs, long nowMs) {
        this.capacity = Math.max(1, capacity);
        this.perMs = this.capacity / Math.max(1, periodMs);
        this.tokens = this.capacity;
        this.lastRefill = nowMs;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowMs) {
        refill(nowMs);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long until the next token is available (0 when one is). */
    public long retryAfterMs(long nowMs) {
        refill(nowMs);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perMs);
    }

    private void refill(long nowMs) {
        if (nowMs > lastRefill) {
            tokens = Math.min(capacity, tokens + (nowMs - lastRefill) * perMs);
            lastRefill = nowMs;
        }
    }
}
