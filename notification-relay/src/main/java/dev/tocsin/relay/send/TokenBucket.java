package dev.tocsin.relay.send;

import java.time.Duration;

/**
 * A reservation-style token bucket: {@link #reserve()} books the next free slot and says how long to wait for it,
 * so callers delay (with a timer) instead of spinning or blocking. Thread-safe.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    /** @param perSecond sustained rate; the burst is one second's worth (at least one). */
    public TokenBucket(double perSecond) {
        this.ratePerNano = perSecond / 1_000_000_000d;
        this.capacity = Math.max(1d, perSecond);
        this.tokens = capacity;
        this.last = System.nanoTime();
    }

    /** Takes one token, possibly from the future; returns how long to wait before using it. */
    public synchronized Duration reserve() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
        last = now;
        tokens -= 1;
        if (tokens >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(-tokens / ratePerNano));
    }

    /** When the bucket is full again and can be forgotten. */
    public synchronized boolean idleSince(long nanos) {
        return System.nanoTime() - last > nanos && tokens >= capacity - 1;
    }
}
