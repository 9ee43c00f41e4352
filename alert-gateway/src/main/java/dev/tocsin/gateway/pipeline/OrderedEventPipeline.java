package dev.tocsin.gateway.pipeline;

import dev.tocsin.gateway.clock.Timers;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.pacing.Backoff;
import io.quarkus.logging.Log;

import java.time.Duration;
import java.time.Instant;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one ordered processor every event passes, holding the gateway's position {@code (epoch, lastSeq)}.
 *
 * <ul>
 *   <li>{@code seq == lastSeq + 1}: delivered.</li>
 *   <li>{@code seq <= lastSeq} (same epoch), or a change id delivered recently: a duplicate, dropped and counted.</li>
 *   <li>{@code seq > lastSeq + 1}: a hole. This event and every later one are held while the missing range is read
 *       from the history; what is found is delivered in order, what is not is reported as missed (the connections
 *       get a {@code gap}); then the held events follow.</li>
 *   <li>Another epoch: the sequence started over; the position is reset and the new epoch's history up to this event
 *       is delivered first.</li>
 * </ul>
 *
 * <p>After every (re)subscription to pub/sub ({@link #subscribed()}) the pipeline reads the tail position and
 * catches up from the history, holding live messages meanwhile, so events published while the subscription was down
 * are delivered in order and exactly once. On the first subscription it starts at the tail: nobody is owed a replay.
 *
 * <p>Non-blocking: history reads are asynchronous, and while one is under way incoming events wait in a queue. One
 * monitor guards the state; the sink is called under it, which is what keeps delivery in order across threads (pub/sub
 * messages and history answers arrive on different event loops) and lets {@link #atomically} see a position that no
 * delivery can overtake. Plain Java, so the logic is tested without Redis.
 */
public final class OrderedEventPipeline {

    private final EventHistory history;
    private final PipelineSink sink;
    private final PipelineCounters counters;
    private final Timers timers;
    private final RecentChangeIds recent;
    private final RecentEvents recentEvents;
    private final Backoff retryBackoff;

    private final ArrayDeque<AlertEvent> queue = new ArrayDeque<>();
    private String epoch;
    private long lastSeq;
    private boolean positioned;
    private boolean busy;
    private boolean draining;
    private boolean catchUpRequested;
    private int failures;

    /**
     * @param timers          for the retries of failed history reads
     * @param recentChangeIds how many delivered change ids are remembered to drop replays
     * @param recentEvents    how many of the newest events are kept to answer {@link #recent} (0: none)
     * @param recentEventBytes how much heap those events may hold (estimated, see {@link EventFootprint})
     * @param retryInitialMs  the wait after the first failed history read, doubled per failure up to
     *                        {@code retryMaxMs}
     */
    public OrderedEventPipeline(EventHistory history, PipelineSink sink, PipelineCounters counters, Timers timers,
            int recentChangeIds, int recentEvents, long recentEventBytes, long retryInitialMs, long retryMaxMs) {
        this.history = history;
        this.sink = sink;
        this.counters = counters;
        this.timers = timers;
        this.recent = new RecentChangeIds(recentChangeIds);
        this.recentEvents = new RecentEvents(recentEvents, recentEventBytes);
        this.retryBackoff = new Backoff(Duration.ofMillis(retryInitialMs), Duration.ofMillis(retryMaxMs));
    }

    /** An event from pub/sub. */
    public synchronized void offer(AlertEvent event) {
        queue.add(event);
        drain();
    }

    /** The pub/sub subscription was (re)established: catch up from the history before live messages go on. */
    public synchronized void subscribed() {
        catchUpRequested = true;
        drain();
    }

    /** The position now. */
    public synchronized Position position() {
        return new Position(epoch, lastSeq);
    }

    /**
     * Runs {@code action} with the position while no event can be delivered: everything up to the position has been
     * handed to the sink, everything after it will be. Keep the action short and non-blocking.
     */
    public synchronized <T> T atomically(Function<Position, T> action) {
        return action.apply(new Position(epoch, lastSeq));
    }

    /**
     * Events {@code from..to} of {@code epoch} as the history holds them, from memory: every one of them when the
     * pipeline still keeps them all and the first was published at or after {@code notBefore}, else null (read the
     * history). A range this answers has no hole.
     */
    public synchronized List<AlertEvent> recent(String epoch, long from, long to, Instant notBefore) {
        return recentEvents.range(epoch, from, to, notBefore);
    }

    /** The estimated heap of the events {@link #recent} answers from. */
    public synchronized long recentBytes() {
        return recentEvents.bytes();
    }

    /** Events waiting behind a history read. */
    public synchronized int waiting() {
        return queue.size();
    }

    /** Whether a history read (hole fill or catch-up) is under way. */
    public synchronized boolean catchingUp() {
        return busy;
    }

    private void drain() {
        if (draining) {
            return; // an answer that arrived synchronously; the outer loop carries on
        }
        draining = true;
        try {
            while (!busy) {
                if (catchUpRequested) {
                    catchUpRequested = false;
                    startCatchUp();
                    continue;
                }
                AlertEvent event = queue.poll();
                if (event == null) {
                    break;
                }
                process(event);
            }
        } finally {
            draining = false;
        }
    }

    private void process(AlertEvent event) {
        if (recent.contains(event.changeId())) {
            droppedReplay(event);
            return;
        }
        if (!positioned) {
            // Nothing had been published when the position was read: this is the first event there is.
            positioned = true;
            epoch = event.epoch();
            lastSeq = event.seq() - 1;
        }
        if (!Objects.equals(event.epoch(), epoch)) {
            newEpoch(event.epoch());
        }
        long seq = event.seq();
        if (seq <= lastSeq) {
            counters.duplicate("old_seq");
            Log.debugf("Dropped event seq %d: at or before the position %d", seq, lastSeq);
            return;
        }
        if (seq == lastSeq + 1) {
            deliver(event);
            return;
        }
        // A hole: this event waits (first in line) until the history filled it.
        queue.addFirst(event);
        Log.infof("Events %d..%d of epoch %s were not received; reading them from the history", lastSeq + 1, seq - 1,
                epoch);
        startFill(lastSeq + 1, seq - 1);
    }

    private void newEpoch(String newEpoch) {
        Log.warnf("The event sequence started over: epoch %s after %s (position was %d)", newEpoch, epoch, lastSeq);
        counters.epochChanged();
        recentEvents.clear();
        epoch = newEpoch;
        lastSeq = 0;
    }

    private void startCatchUp() {
        busy = true;
        history.tail().subscribe().with(this::caughtUpTail, this::catchUpFailed);
    }

    private synchronized void caughtUpTail(EventHistory.Tail tail) {
        failures = 0;
        if (!positioned) {
            if (tail.epoch() != null) {
                // Startup: begin at the tail; nobody connected here is owed older events.
                positioned = true;
                epoch = tail.epoch();
                lastSeq = tail.seq() == null ? 0 : tail.seq();
                Log.infof("Event position at startup: epoch %s, seq %d", epoch, lastSeq);
            }
            done();
            return;
        }
        if (tail.epoch() == null || tail.seq() == null) {
            // Redis came back empty: nothing to catch up; the next event continues or starts a new epoch.
            done();
            return;
        }
        if (!tail.epoch().equals(epoch)) {
            newEpoch(tail.epoch());
        }
        if (tail.seq() > lastSeq) {
            Log.infof("Catching up events %d..%d of epoch %s from the history", lastSeq + 1, tail.seq(), epoch);
            startFill(lastSeq + 1, tail.seq());
        } else {
            done();
        }
    }

    private synchronized void catchUpFailed(Throwable failure) {
        retry("reading the event position", failure, this::startCatchUp);
    }

    private void startFill(long from, long to) {
        busy = true;
        String fillEpoch = epoch;
        history.range(from, to).subscribe().with(
                events -> filled(fillEpoch, from, to, events),
                failure -> fillFailed(from, to, failure));
    }

    private synchronized void filled(String fillEpoch, long from, long to, List<AlertEvent> events) {
        failures = 0;
        long found = 0;
        for (AlertEvent event : events) {
            long seq = event.seq();
            if (seq < from || seq > to || seq <= lastSeq || !Objects.equals(event.epoch(), fillEpoch)) {
                continue; // another epoch's entry, or one delivered meanwhile: the hole stays a hole
            }
            if (seq > lastSeq + 1) {
                missed(lastSeq + 1, seq - 1);
            }
            if (recent.contains(event.changeId())) {
                droppedReplay(event); // at lastSeq + 1 of this epoch here, so it takes that position
                continue;
            }
            deliver(event);
            found++;
        }
        if (lastSeq < to) {
            missed(lastSeq + 1, to);
        }
        counters.filled(found);
        done();
    }

    private synchronized void fillFailed(long from, long to, Throwable failure) {
        retry("reading events " + from + ".." + to + " from the history", failure, () -> startFill(from, to));
    }

    private void retry(String what, Throwable failure, Runnable again) {
        failures++;
        long delay = retryBackoff.ceilingMillis(failures);
        Log.warnf("%s failed (%s); retrying in %d ms; %d events wait", capitalize(what), failure.toString(), delay,
                queue.size());
        timers.schedule(delay, () -> {
            synchronized (this) {
                again.run();
            }
        });
    }

    private void done() {
        busy = false;
        drain();
    }

    /**
     * A change delivered already, published again (alert-ingest replays after a crash): dropped. At the next
     * position of this epoch it takes that position, so the event after it is no hole to read from the history.
     */
    private void droppedReplay(AlertEvent event) {
        counters.duplicate("change_id");
        Log.debugf("Dropped event seq %d: change %s was delivered already", event.seq(), event.changeId());
        if (positioned && Objects.equals(event.epoch(), epoch) && event.seq() == lastSeq + 1) {
            lastSeq = event.seq();
            recentEvents.add(event); // the history holds it at this position: a sync replays it like the history
        }
    }

    private void deliver(AlertEvent event) {
        lastSeq = event.seq();
        recent.add(event.changeId());
        recentEvents.add(event);
        try {
            sink.deliver(event);
        } catch (RuntimeException e) {
            // One event must never stop the pipeline.
            Log.errorf(e, "Delivering event seq %d (alert %s) failed", event.seq(), event.alertId());
        }
    }

    private void missed(long from, long to) {
        long count = to - from + 1;
        counters.historyMissed(count);
        Log.warnf("Events %d..%d of epoch %s are lost to this gateway: not received and no longer in the history",
                from, to, epoch);
        lastSeq = to;
        recentEvents.clear();
        try {
            sink.missed(epoch, from, to);
        } catch (RuntimeException e) {
            Log.errorf(e, "Reporting missed events %d..%d failed", from, to);
        }
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
