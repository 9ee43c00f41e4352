package dev.tocsin.ingest.common.retry;

import dev.tocsin.protocol.pacing.Backoff;

import java.time.Duration;

/**
 * The consecutive failures of one retry loop, and the wait the shared {@link Backoff} policy gives after them
 * ("equal jitter", so replicas that failed together do not retry in lockstep). Not thread-safe: one per loop.
 */
public final class ConsecutiveFailures {

    private final Backoff backoff;
    private int count;

    public ConsecutiveFailures(Backoff backoff) {
        this.backoff = backoff;
    }

    /** Counts one more failure and returns how long to wait before the next attempt. */
    public Duration failed() {
        count++;
        return backoff.jittered(count);
    }

    /** The loop succeeded: the next failure waits the shortest time again. */
    public void reset() {
        count = 0;
    }

    public int count() {
        return count;
    }
}
