package dev.tocsin.gateway.clock;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link Timers} on a clock the test moves: nothing runs until {@link #advance} or {@link #runNext}, so logic that
 * waits is tested without waiting. Not thread-safe: plain tests drive it from one thread.
 */
public final class ManualTimers implements Timers {

    private record Timer(long id, long dueNanos, Runnable task) {
    }

    private final List<Timer> timers = new ArrayList<>();
    private long nowNanos = 1_000_000_000L;
    private long nextId;

    @Override
    public long schedule(long delayMs, Runnable task) {
        long id = nextId++;
        timers.add(new Timer(id, nowNanos + Math.max(1, delayMs) * 1_000_000L, task));
        return id;
    }

    @Override
    public void cancel(long id) {
        timers.removeIf(timer -> timer.id() == id);
    }

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    /** Moves the clock forward, running every timer that falls due on the way, in order (and those they set). */
    public void advance(long millis) {
        long until = nowNanos + millis * 1_000_000L;
        while (true) {
            Timer next = timers.stream().filter(timer -> timer.dueNanos() <= until)
                    .min(Comparator.comparingLong(Timer::dueNanos).thenComparingLong(Timer::id)).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            nowNanos = Math.max(nowNanos, next.dueNanos());
            next.task().run();
        }
        nowNanos = until;
    }

    /** Runs the timer due first, whatever its delay, with the clock moved to it. */
    public void runNext() {
        Timer next = timers.stream().min(Comparator.comparingLong(Timer::dueNanos).thenComparingLong(Timer::id))
                .orElseThrow(() -> new AssertionError("no timer is pending"));
        timers.remove(next);
        nowNanos = Math.max(nowNanos, next.dueNanos());
        next.task().run();
    }

    /** Timers set and neither fired nor cancelled. */
    public int pending() {
        return timers.size();
    }

    /** The delay of the timer due first, from now, in ms; -1 when none is pending. */
    public long nextDelayMs() {
        return timers.stream().mapToLong(Timer::dueNanos).min().stream()
                .map(due -> (due - nowNanos) / 1_000_000L).findFirst().orElse(-1);
    }
}
