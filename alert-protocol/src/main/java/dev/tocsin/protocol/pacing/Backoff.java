package dev.tocsin.protocol.pacing;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff, the one policy every retry loop of Tocsin uses: after {@code n} consecutive failures the
 * wait is {@code initial * 2^(n-1)}, capped at {@code max}. {@link #ceiling} is that wait exactly (for loops whose
 * replicas never retry together anyway); {@link #jittered} draws between half and all of it ("equal jitter"), so
 * replicas that failed together do not retry in lockstep.
 *
 * @param initial the wait after the first failure (at least 1 ms)
 * @param max     the longest wait (at least {@code initial})
 */
public record Backoff(Duration initial, Duration max) {

    /** Doublings past this change nothing (the cap is reached long before) and would overflow. */
    private static final int MAX_SHIFT = 30;

    public Backoff {
        long initialMs = Math.max(1, initial.toMillis());
        initial = Duration.ofMillis(initialMs);
        max = Duration.ofMillis(Math.max(initialMs, max.toMillis()));
    }

    /** The wait after {@code failures} consecutive failures (1 for the first): {@code initial * 2^(failures-1)}, capped. */
    public Duration ceiling(int failures) {
        return Duration.ofMillis(ceilingMillis(failures));
    }

    /** {@link #ceiling} in milliseconds. */
    public long ceilingMillis(int failures) {
        int shift = Math.min(Math.max(failures - 1, 0), MAX_SHIFT);
        long initialMs = initial.toMillis();
        long maxMs = max.toMillis();
        long ceiling = initialMs << shift;
        return ceiling <= 0 || ceiling > maxMs ? maxMs : ceiling;
    }

    /** A wait between half and all of {@link #ceiling}, drawn at random. */
    public Duration jittered(int failures) {
        return jittered(failures, ThreadLocalRandom.current());
    }

    /** {@link #jittered(int)} with the given source of randomness (tests pass a seeded one). */
    public Duration jittered(int failures, RandomGenerator random) {
        long ceiling = ceilingMillis(failures);
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }
}
