package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.clock.Timers;
import dev.tocsin.gateway.socket.Transport;
import dev.tocsin.gateway.stats.ConnectionStats;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.MessageTypes;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The queue core of one connection's delivery: the bounded outbound queue with its drop policy
 * ({@link OutboundQueue}) and the pump that hands its frames to the transport while the transport takes them. Frames
 * are handed over only while the transport's buffer has room (Netty's write-buffer high-water mark; on the
 * {@code sendText} fallback, while fewer than {@code maxInFlight} writes are pending); the rest wait in the queue until
 * the socket drains. A client that stops reading therefore fills its own queue, where the drop policy acts, and never
 * the transport's unbounded buffer. A queue that stays full for the stuck timeout ({@link StuckDetector}), or that
 * overflows with frames it may not drop, gets the connection closed.
 *
 * <p>Not thread-safe: {@link ConnectionDelivery} guards it with its lock and routes the transport's callbacks here.
 */
final class OutboundPump {

    private final String connectionId;
    private final Transport<OutboundFrame> transport;
    private final ConnectionStats stats;
    private final DeliveryCounters counters;
    private final Timers timers;
    private final DeliverySettings settings;
    private final Runnable onStuck;
    private final Runnable stuckTimerFired;
    private final LongConsumer droppedSeq;
    private final Function<OutboundFrame, byte[]> tails;
    /** Created when first needed: an idle connection holds none of these. */
    private OutboundQueue queue;
    private StuckDetector stuck;
    /** Created on the first frame with a callback (an empty IdentityHashMap holds a 64-slot table). */
    private Map<OutboundFrame, Consumer<Boolean>> writeCallbacks;
    private int inFlight;
    private boolean pumping;
    private boolean closed;

    /**
     * @param onStuck         closes the connection: it does not read
     * @param stuckTimerFired the owner's task for the stuck timer; it calls {@link #stuck()} under its lock
     * @param droppedSeq      told each event sequence number the queue dropped
     * @param tails           the connection's own ending of a frame as it is written (its cursor, UTF-8), or null
     */
    OutboundPump(String connectionId, Transport<OutboundFrame> transport, ConnectionStats stats,
            DeliveryCounters counters, Timers timers, DeliverySettings settings, Runnable onStuck,
            Runnable stuckTimerFired, LongConsumer droppedSeq, Function<OutboundFrame, byte[]> tails) {
        this.connectionId = connectionId;
        this.transport = transport;
        this.stats = stats;
        this.counters = counters;
        this.timers = timers;
        this.settings = settings;
        this.onStuck = onStuck;
        this.stuckTimerFired = stuckTimerFired;
        this.droppedSeq = droppedSeq;
        this.tails = tails;
    }

    /** Queues a frame, or hands it to the transport at once when nothing waits ahead of it and there is room. */
    void enqueue(OutboundFrame frame) {
        if (closed) {
            return;
        }
        if (!pumping && canWrite() && queueIdle()) {
            // Nothing is waiting ahead of this frame and a write slot is free: hand it to the transport directly.
            // This is exactly what offer + pump would do (same order, same in-flight accounting; the gauge's +1/-1
            // cancel out), without the queue entry and the rank scan. Marked as pumping so that a write completing
            // synchronously, or a frame enqueued from its callback, goes through the queue as it would inside pump.
            pumping = true;
            try {
                inFlight++;
                transport.write(frame, tails.apply(frame));
            } finally {
                pumping = false;
            }
            if (!queueIdle()) {
                pump(); // frames queued while the write above completed synchronously
            }
            return;
        }
        if (queue == null) {
            queue = new OutboundQueue(settings.queueSize());
        }
        switch (queue.offer(frame)) {
            case QUEUED -> counters.queued(1);
            case DROPPED_OTHER, DROPPED_INCOMING -> {
                OutboundFrame victim = queue.lastDropped();
                long events = Math.max(1, victim.events());
                for (long seq : victim.seqs()) {
                    droppedSeq.accept(seq);
                }
                stats.dropped(events);
                counters.dropped(events);
            }
            case OVERFLOW -> {
                // Only never-dropped frames are left and twice the capacity is reached: the client cannot keep up.
                Log.infof("Outbound queue of connection %s overflowed with undroppable frames", connectionId);
                onStuck.run();
                return;
            }
        }
        pump();
    }

    /** {@link #enqueue} with a callback told whether the frame reached the socket. */
    void enqueue(OutboundFrame frame, Consumer<Boolean> onWritten) {
        if (closed) {
            onWritten.accept(false);
            return;
        }
        if (writeCallbacks == null) {
            writeCallbacks = new IdentityHashMap<>();
        }
        writeCallbacks.put(frame, onWritten);
        enqueue(frame);
    }

    /** The transport is done with a frame: one write slot more. Returns the frame's callback, to run outside the lock. */
    Consumer<Boolean> written(OutboundFrame frame) {
        Consumer<Boolean> callback = writeCallbacks == null || writeCallbacks.isEmpty() ? null
                : writeCallbacks.remove(frame);
        inFlight--;
        pump();
        return callback;
    }

    /** Hands queued frames to the transport while it takes them (also when the socket's buffer drained). */
    void pump() {
        if (pumping || closed || queue == null) {
            return; // a write that completed synchronously re-enters here; the outer loop carries on
        }
        pumping = true;
        try {
            while (canWrite() && !closed) {
                OutboundQueue.GapNotice gap = queue.takeGap();
                if (gap != null) {
                    queueGap(gap);
                }
                OutboundFrame frame = queue.poll();
                if (frame == null) {
                    break;
                }
                counters.queued(-1);
                inFlight++;
                transport.write(frame, tails.apply(frame));
            }
        } finally {
            pumping = false;
        }
        watchFullness();
    }

    /** The stuck timer fired: whether the queue stayed full for the whole timeout. */
    boolean stuck() {
        return !closed && stuck != null && stuck.stuck();
    }

    /** Whether {@link #close} ran: the connection is gone and nothing more is written. */
    boolean closed() {
        return closed;
    }

    /** Frames waiting in the queue. */
    int queued() {
        return queue == null ? 0 : queue.size();
    }

    /** The oldest event sequence number among the queued frames that count for the cursor; MAX_VALUE when none. */
    long oldestQueuedSeq() {
        return queue == null ? Long.MAX_VALUE : queue.oldestSeq();
    }

    /** Frames handed to the transport and not yet reported written. */
    int inFlight() {
        return inFlight;
    }

    /** Releases what was queued; returns the callbacks of frames that will never be written, to run outside the lock. */
    List<Consumer<Boolean>> close() {
        if (closed) {
            return List.of();
        }
        closed = true;
        if (stuck != null) {
            stuck.close();
        }
        if (queue != null) {
            counters.queued(-queue.size());
            while (queue.poll() != null) {
                // released for the garbage collector
            }
        }
        if (writeCallbacks == null || writeCallbacks.isEmpty()) {
            return List.of();
        }
        List<Consumer<Boolean>> callbacks = new ArrayList<>(writeCallbacks.values());
        writeCallbacks.clear();
        return callbacks;
    }

    /** Whether no frame and no gap notice waits in the queue. */
    private boolean queueIdle() {
        return queue == null || queue.isEmpty() && !queue.gapPending();
    }

    /** Whether the transport takes another frame now. */
    private boolean canWrite() {
        return inFlight < settings.maxInFlight() && !transport.bufferFull();
    }

    private void queueGap(OutboundQueue.GapNotice gap) {
        String text = Json.encode(new ServerMessage.Gap(gap.fromSeq(), gap.toSeq(), gap.dropped(), "slow_consumer"));
        if (queue.offer(OutboundFrame.withCursor(MessageTypes.GAP, text)) == OutboundQueue.Offer.QUEUED) {
            counters.queued(1);
        }
    }

    /** Starts the stuck clock when the queue becomes full, stops it when there is room again. */
    private void watchFullness() {
        if (closed) {
            return;
        }
        boolean full = queue != null && queue.isFull();
        if (full && stuck == null) {
            stuck = new StuckDetector(timers, settings.stuckTimeoutMs(), stuckTimerFired);
        }
        if (stuck != null) {
            stuck.queueFull(full);
        }
    }
}
