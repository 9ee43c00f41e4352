package dev.tocsin.protocol.pacing;

/**
 * A token bucket: holds up to {@code capacity} tokens and refills continuously at {@code capacity} tokens per
 * {@code period}. Time is passed in by the caller, in whatever unit the period is given (milliseconds for a rate limit,
 * nanoseconds for pacing sends), so the logic is tested without waiting. Not thread-safe: the owner guards it.
 *
 * <p>Two ways to use it: {@link #tryTake} refuses when no token is there (a rate limit), {@link #reserve} takes the
 * next token even from the future and says how long to wait for it (pacing, where the caller delays with a timer).
 */
public final class TokenBucket {

    private final double capacity;
    private final double perTick;
    private double tokens;
    private long last;

    /**
     * @param capacity tokens the bucket holds (at least 1); it starts full
     * @param period   the time in which {@code capacity} tokens are refilled (at least 1)
     * @param now      the current time
     */
    public TokenBucket(double capacity, long period, long now) {
        this.capacity = Math.max(1d, capacity);
        this.perTick = this.capacity / Math.max(1, period);
        this.tokens = this.capacity;
        this.last = now;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long until a token is available (0 when one is). */
    public long waitFor(long now) {
        refill(now);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perTick);
    }

    /** Takes one token, from the future if need be; returns how long to wait before using it (0: at once). */
    public long reserve(long now) {
        refill(now);
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perTick);
    }

    /**
     * Whether the bucket was not used for longer than {@code quiet} and is full again (within one token): nothing is
     * reserved, so a caller that keeps one bucket per key may forget it.
     */
    public boolean idle(long now, long quiet) {
        boolean unused = now - last > quiet;
        refill(now);
        return unused && tokens >= capacity - 1;
    }

    private void refill(long now) {
        if (now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * perTick);
            last = now;
        }
    }
}
