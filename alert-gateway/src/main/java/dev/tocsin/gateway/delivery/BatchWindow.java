package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.clock.Timers;
import dev.tocsin.protocol.alert.Priority;

import java.util.List;

/**
 * The batch window of one connection: non-critical alerts wait here, per priority, until the window elapses or a
 * priority's list is full, so a burst leaves as a few {@code alert_batch} frames instead of one frame per alert. The
 * window's timer starts with the first waiting alert. Not thread-safe: the connection's delivery guards it and is
 * told through {@code elapsed} (a task it supplies) when the timer fires.
 */
final class BatchWindow {

    private final PriorityBatches batches;
    private final Timers timers;
    private final long windowMs;
    private final Runnable elapsed;
    private long timer = -1;

    /**
     * @param elapsed run when the window's timer fires; it calls {@link #elapsed()} under the owner's lock
     */
    BatchWindow(int maxBatchSize, long windowMs, Timers timers, Runnable elapsed) {
        this.batches = new PriorityBatches(maxBatchSize);
        this.windowMs = Math.max(1, windowMs);
        this.timers = timers;
        this.elapsed = elapsed;
    }

    /** Adds an alert; returns its priority's list when that became full (to send now), else null. */
    List<EncodedAlert> add(EncodedAlert alert) {
        List<EncodedAlert> full = batches.add(alert);
        if (!batches.isEmpty() && timer < 0) {
            timer = timers.schedule(windowMs, elapsed);
        }
        return full;
    }

    /** Takes the alerts of one priority waiting now (a change of one of them must not overtake them). */
    List<EncodedAlert> take(Priority priority) {
        return batches.take(priority);
    }

    /** Takes every waiting alert, one list per priority, most urgent first. */
    List<List<EncodedAlert>> takeAll() {
        return batches.takeAll();
    }

    /** The timer fired: everything waiting goes now. */
    List<List<EncodedAlert>> elapsed() {
        timer = -1;
        return batches.takeAll();
    }

    /** Stops the timer and forgets what waits (the connection closed). */
    void close() {
        if (timer >= 0) {
            timers.cancel(timer);
            timer = -1;
        }
        batches.takeAll();
    }

    /** The oldest sequence number waiting, or {@code Long.MAX_VALUE}. */
    long oldestSeq() {
        return batches.oldestSeq();
    }

    /** The epoch of the alerts waiting, or null. */
    String epoch() {
        return batches.epoch();
    }

    /** Alerts waiting. */
    int size() {
        return batches.size();
    }
}
