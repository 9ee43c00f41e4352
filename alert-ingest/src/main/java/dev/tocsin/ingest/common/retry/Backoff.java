package dev.tocsin.ingest.common.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure waits between half and all of
 * {@code min(max, initial * 2^(n-1))}, so replicas that failed together do not retry in lockstep.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(this.initialMillis, max.toMillis());
    }

    /** Records one more failure and returns how long to wait before the next attempt. */
    public Duration nextDelay() {
        failures++;
        long ceiling = ceilingMillis(failures);
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /** The upper bound of the delay after {@code failures} consecutive failures. */
    long ceilingMillis(int failures) {
        int shift = Math.min(failures - 1, 30);
        long ceiling = initialMillis << shift;
        return ceiling <= 0 || ceiling > maxMillis ? maxMillis : ceiling;
    }

    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
