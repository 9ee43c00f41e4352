package dev.tocsin.gateway.ratelimit;

import java.util.ArrayDeque;

/** Counts events (rate-limit violations) within a sliding window (not thread-safe). */
public final class ViolationWindow {

    private final long windowMs;
    private final int maxTracked;
    /** Created on the first violation: most connections never have one. */
    private ArrayDeque<Long> times;

    public ViolationWindow(long windowMs, int maxTracked) {
        this.windowMs = windowMs;
        this.maxTracked = Math.max(1, maxTracked);
    }

    /** Records one event and returns how many fell within the window, this one included. */
    public int record(long nowMs) {
        if (times == null) {
            times = new ArrayDeque<>(Math.min(maxTracked, 16));
        }
        times.addLast(nowMs);
        // Bounded memory: more than maxTracked never changes the decision (a ban at maxTracked).
        while (times.size() > maxTracked) {
            times.removeFirst();
        }
        while (!times.isEmpty() && times.peekFirst() <= nowMs - windowMs) {
            times.removeFirst();
        }
        return times.size();
    }
}
