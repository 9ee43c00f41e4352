package dev.tocsin.gateway.clock;

/**
 * One-shot timers and the monotonic clock they run on. The service uses Vert.x timers ({@link VertxTimers}); plain
 * tests of the logic that waits (batch window, stuck detection, retries) pass a clock they advance themselves.
 */
public interface Timers {

    /** Runs {@code task} once, {@code delayMs} from now (at least 1 ms); returns an id for {@link #cancel}. */
    long schedule(long delayMs, Runnable task);

    /** Cancels a timer that has not fired; an unknown or fired id is ignored. */
    void cancel(long id);

    /** Monotonic time in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();
}
