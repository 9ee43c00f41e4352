package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.clock.Timers;

/**
 * Tells when one connection's outbound queue has stayed full for the stuck timeout: its client does not read, and
 * the connection must go. The clock starts when the queue becomes full and stops when there is room again; the timer
 * fires at the deadline and checks again, because the queue may have been full, then not, then full again since.
 * Not thread-safe: the connection's delivery guards it and is told through {@code fired} (a task it supplies).
 */
final class StuckDetector {

    private final Timers timers;
    private final long timeoutMs;
    private final Runnable fired;
    private long fullSince;
    private long timer = -1;

    /**
     * @param fired run when the timer fires; it calls {@link #stuck()} under the owner's lock
     */
    StuckDetector(Timers timers, long timeoutMs, Runnable fired) {
        this.timers = timers;
        this.timeoutMs = Math.max(1, timeoutMs);
        this.fired = fired;
    }

    /** The queue's fullness now: starts the clock when it became full, stops it when there is room. */
    void queueFull(boolean full) {
        if (full) {
            if (fullSince == 0) {
                fullSince = timers.nanoTime();
                timer = timers.schedule(timeoutMs, fired);
            }
        } else if (fullSince != 0) {
            fullSince = 0;
            cancel();
        }
    }

    /**
     * The timer fired: true when the queue has been full for the whole timeout (the connection is stuck); otherwise
     * the timer is set again for what remains, if the queue is still full.
     */
    boolean stuck() {
        timer = -1;
        if (fullSince == 0) {
            return false;
        }
        long fullForMs = (timers.nanoTime() - fullSince) / 1_000_000;
        if (fullForMs >= timeoutMs - 1) {
            return true;
        }
        timer = timers.schedule(Math.max(1, timeoutMs - fullForMs), fired);
        return false;
    }

    /** Stops watching (the connection closed). */
    void close() {
        fullSince = 0;
        cancel();
    }

    private void cancel() {
        if (timer >= 0) {
            timers.cancel(timer);
            timer = -1;
        }
    }
}
