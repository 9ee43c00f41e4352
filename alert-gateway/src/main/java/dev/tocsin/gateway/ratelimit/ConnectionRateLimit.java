package dev.tocsin.gateway.ratelimit;

import dev.tocsin.protocol.pacing.TokenBucket;

/**
 * The rate limit of one connection: a token bucket of {@code perMinute} messages and the refusals within the last
 * minute. Kept in the connection's {@code userData()} by {@link RateLimitGuard}. Thread-safe (messages of one
 * connection arrive in order on its event loop, but cheaply guarded anyway).
 */
public final class ConnectionRateLimit {

    static final long MINUTE_MS = 60_000;

    private final TokenBucket bucket;
    private final ViolationWindow violations;
    private final int perMinute;
    private final int banAfter;
    private boolean banned;

    public ConnectionRateLimit(int perMinute, int banAfter, long nowMs) {
        this.perMinute = perMinute;
        this.banAfter = Math.max(1, banAfter);
        this.bucket = new TokenBucket(perMinute, MINUTE_MS, nowMs);
        this.violations = new ViolationWindow(MINUTE_MS, this.banAfter);
    }

    /** Null when the message may pass, else why not. */
    public synchronized Refusal check(long nowMs) {
        if (bucket.tryTake(nowMs)) {
            return null;
        }
        int count = violations.record(nowMs);
        boolean ban = count >= banAfter && !banned; // reported once; the connection is closing then
        banned |= ban;
        return new Refusal(perMinute, Math.max(1, bucket.waitFor(nowMs)), count, ban);
    }

    /**
     * A refused message.
     *
     * @param limit        messages per minute
     * @param retryAfterMs when the next message will pass
     * @param violations   refusals within the last minute, this one included
     * @param ban          whether this refusal reached the ban threshold (true once per connection)
     */
    public record Refusal(int limit, long retryAfterMs, int violations, boolean ban) {
    }
}
