package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.stats.ConnectionStats;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.ServerMessage;
import io.netty.buffer.Unpooled;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Everything between the fan-out and one connection's socket: the batch window for non-critical alerts, the bounded
 * outbound queue with its drop policy, and the writes in flight.
 *
 * <p>Frames are handed to the transport only while its buffer has room (Netty's write-buffer high-water mark, read
 * through {@code writeQueueFull}; on the {@code sendText} fallback, while fewer than {@code maxInFlight} writes are
 * pending); the rest wait in the queue until the socket drains. A client that stops reading therefore fills its own
 * queue, where the drop policy acts, and never the transport's unbounded buffer, and it slows nobody else. A queue
 * that stays full for the stuck timeout is closed.
 *
 * <p>Called on the connection's event loop: the fan-out and every other feature submit their calls through the
 * connection's {@code ConnectionShard}, in order, and the write callbacks and timers run there too. One lock (this
 * object) still guards the state, so a call from elsewhere (a test, a drain) stays safe; on the one thread it is never
 * contended. Nothing here blocks.
 *
 * <p>Frames go to the Vert.x WebSocket as their shared UTF-8 bytes ({@link SocketAccess}); a frame larger than
 * {@link #MAX_DIRECT_FRAME_BYTES}, or a connection whose socket cannot be reached, goes through {@code sendText},
 * which fragments large messages as Vert.x does.
 */
public final class ConnectionDelivery {

    /** What to do when the connection must go because it does not read. */
    public interface SlowConsumerHandler {
        void stuck(WebSocketConnection connection);
    }

    /** Told the ids of the new alerts a frame carried once it was written to the socket (delivery records). */
    public interface AlertsWritten {
        AlertsWritten NONE = alertIds -> { };

        void written(String[] alertIds);
    }

    /** Vert.x's default largest WebSocket frame; larger messages are left to {@code sendText}, which fragments them. */
    static final int MAX_DIRECT_FRAME_BYTES = 65_536;

    private final WebSocketConnection connection;
    /** The Vert.x socket for direct writes; null: use {@code sendText}. */
    private final WebSocketBase socket;
    private final ConnectionStats stats;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final SlowConsumerHandler onStuck;
    private final AlertsWritten onAlertsWritten;
    private final long batchWindowMs;
    private final long stuckTimeoutMs;
    private final int maxInFlight;
    private final int queueSize;
    private final int maxBatchSize;
    /** Created on the first frame that has to wait, and the first batched alert: an idle connection holds neither. */
    private OutboundQueue queue;
    private PriorityBatches batches;

    /**
     * Most live frames kept while the connection recovers; beyond it they are dropped and reported as a gap. Held
     * frames are the shared encoded strings, so this costs a reference each.
     */
    private final int holdLimit;
    static final int MIN_HOLD_LIMIT = 10_000;
    /** Most dropped sequence numbers remembered for {@code sync}. */
    static final int DROPPED_MEMORY = 10_000;

    private int inFlight;
    /** Live frames kept while the connection recovers ({@code sync}, inbox): EncodedAlert or change frames. */
    private List<Object> held;
    private long heldDropped;
    private long heldDropFrom = Long.MAX_VALUE;
    private long heldDropTo = Long.MIN_VALUE;
    /** Created on the first drop: most connections never drop anything, and an idle one should not pay for it. */
    private TreeSet<Long> droppedSeqs;
    /** Created on the first control frame with a callback (an empty IdentityHashMap holds a 64-slot table). */
    private Map<OutboundFrame, Consumer<Boolean>> writeCallbacks;
    private boolean pumping;
    private boolean closed;
    private long windowTimer = -1;
    private long fullSince;
    private long stuckTimer = -1;

    public ConnectionDelivery(WebSocketConnection connection, ConnectionStats stats, GatewayMetrics metrics, Vertx vertx,
            DeliverySettings settings, SlowConsumerHandler onStuck) {
        this(connection, stats, metrics, vertx, settings, onStuck, AlertsWritten.NONE);
    }

    public ConnectionDelivery(WebSocketConnection connection, ConnectionStats stats, GatewayMetrics metrics, Vertx vertx,
            DeliverySettings settings, SlowConsumerHandler onStuck, AlertsWritten onAlertsWritten) {
        this.connection = connection;
        this.socket = SocketAccess.socketOf(connection);
        if (socket != null) {
            socket.drainHandler(ignored -> drained());
        }
        this.onAlertsWritten = onAlertsWritten;
        this.stats = stats;
        this.metrics = metrics;
        this.vertx = vertx;
        this.onStuck = onStuck;
        this.batchWindowMs = Math.max(1, settings.batchWindowMs());
        this.stuckTimeoutMs = Math.max(1, settings.stuckTimeoutMs());
        this.maxInFlight = Math.max(1, settings.maxInFlight());
        this.queueSize = settings.queueSize();
        this.maxBatchSize = settings.maxBatchSize();
        this.holdLimit = Math.max(MIN_HOLD_LIMIT, Math.max(1, settings.queueSize()) * 2);
    }

    /** An answer or notice: queued at once, never dropped. */
    public synchronized void control(OutboundFrame frame) {
        enqueue(frame);
    }

    /**
     * An answer or notice that must not be dropped, with a callback told whether it reached the socket (for work
     * that may only happen after the client got the frame, such as deleting inbox entries).
     */
    public synchronized void control(OutboundFrame frame, Consumer<Boolean> onWritten) {
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

    /**
     * A frame replayed for this connection ({@code sync}, inbox): written in order ahead of live frames, which are
     * held meanwhile, and never dropped.
     */
    public synchronized void replay(OutboundFrame frame) {
        enqueue(frame);
    }

    /** From now on live alerts and changes are kept, not sent, until {@link #release}. */
    public synchronized void hold() {
        if (held == null) {
            held = new ArrayList<>();
        }
    }

    /**
     * Sends the frames kept since {@link #hold}, in their order, except those whose sequence number {@code keep}
     * refuses (already replayed), and reports live frames dropped while holding as a {@code gap}.
     */
    public synchronized void release(LongPredicate keep) {
        List<Object> kept = held;
        held = null;
        if (kept == null || closed) {
            return;
        }
        if (heldDropped > 0) {
            String text = Json.encode(new ServerMessage.Gap(heldDropFrom == Long.MAX_VALUE ? -1 : heldDropFrom,
                    heldDropTo == Long.MIN_VALUE ? -1 : heldDropTo, heldDropped, "slow_consumer"));
            heldDropped = 0;
            heldDropFrom = Long.MAX_VALUE;
            heldDropTo = Long.MIN_VALUE;
            enqueue(OutboundFrame.control(MessageTypes.GAP, text));
        }
        for (Object frame : kept) {
            if (frame instanceof EncodedAlert alert) {
                if (keep.test(alert.seq())) {
                    alert(alert);
                }
            } else if (frame instanceof OutboundFrame change) {
                if (change.fromSeq() < 0 || keep.test(change.fromSeq())) {
                    change(change);
                }
            }
        }
    }

    /** Whether the event with this sequence number was dropped for this connection (and not replayed since). */
    public synchronized boolean wasDropped(long seq) {
        return droppedSeqs != null && droppedSeqs.contains(seq);
    }

    /** The event was replayed: it no longer counts as dropped. */
    public synchronized void replayed(long seq) {
        if (droppedSeqs != null) {
            droppedSeqs.remove(seq);
        }
    }

    /** A new alert: critical ones go out at once, others wait for the batch window. */
    public synchronized void alert(EncodedAlert alert) {
        if (closed) {
            return;
        }
        if (held != null) {
            keep(alert, alert.seq());
            return;
        }
        if (alert.priority() == dev.tocsin.protocol.alert.Priority.CRITICAL) {
            enqueue(alert.frame());
            return;
        }
        if (batches == null) {
            batches = new PriorityBatches(maxBatchSize);
        }
        List<EncodedAlert> full = batches.add(alert);
        if (full != null) {
            enqueueBatch(full);
        }
        if (!batches.isEmpty() && windowTimer < 0) {
            windowTimer = vertx.setTimer(batchWindowMs, id -> windowElapsed());
        }
    }

    /**
     * Critical alerts the fan-out handed over together (one run of a burst), all in {@code frame}: sent at once as
     * that one frame, never dropped; while holding, each is kept like a single alert.
     */
    public synchronized void critical(List<EncodedAlert> alerts, OutboundFrame frame) {
        if (closed) {
            return;
        }
        if (held != null) {
            for (EncodedAlert alert : alerts) {
                keep(alert, alert.seq());
            }
            return;
        }
        enqueue(frame);
    }

    /**
     * A change of an alert ({@code alert_update}, {@code alert_ack}). Alerts of the same priority still waiting for
     * the window go first, so a client never sees an update before the alert it is about.
     */
    public synchronized void change(OutboundFrame frame) {
        if (closed) {
            return;
        }
        if (held != null) {
            keep(frame, frame.fromSeq());
            return;
        }
        if (batches == null) {
            // nothing waits for the window
        } else if (frame.priority() != null) {
            List<EncodedAlert> waiting = batches.take(frame.priority());
            if (!waiting.isEmpty()) {
                enqueueBatch(waiting);
            }
        } else {
            for (List<EncodedAlert> waiting : batches.takeAll()) {
                enqueueBatch(waiting);
            }
        }
        enqueue(frame);
    }

    /** Frames waiting in the queue (not counting the batch window and writes in flight). */
    public synchronized int queued() {
        return queue == null ? 0 : queue.size();
    }

    /** Stops everything for a closed connection and releases what was queued. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancel(windowTimer);
        cancel(stuckTimer);
        windowTimer = -1;
        stuckTimer = -1;
        if (queue != null) {
            metrics.queued(-queue.size());
            while (queue.poll() != null) {
                // released for the garbage collector
            }
        }
        if (batches != null) {
            batches.takeAll();
        }
        held = null;
        if (writeCallbacks != null && !writeCallbacks.isEmpty()) {
            List<Consumer<Boolean>> callbacks = new ArrayList<>(writeCallbacks.values());
            writeCallbacks.clear();
            callbacks.forEach(callback -> callback.accept(false));
        }
    }

    private void keep(Object frame, long seq) {
        if (held.size() < holdLimit) {
            held.add(frame);
            return;
        }
        heldDropped++;
        if (seq >= 0) {
            heldDropFrom = Math.min(heldDropFrom, seq);
            heldDropTo = Math.max(heldDropTo, seq);
            rememberDropped(seq);
        }
        stats.dropped(1);
        metrics.dropped("slow_consumer", 1);
    }

    private void rememberDropped(long seq) {
        if (droppedSeqs == null) {
            droppedSeqs = new TreeSet<>();
        }
        droppedSeqs.add(seq);
        if (droppedSeqs.size() > DROPPED_MEMORY) {
            droppedSeqs.pollFirst();
        }
    }

    private void windowElapsed() {
        synchronized (this) {
            windowTimer = -1;
            if (closed || batches == null) {
                return;
            }
            for (List<EncodedAlert> batch : batches.takeAll()) {
                enqueueBatch(batch);
            }
        }
    }

    private void enqueueBatch(List<EncodedAlert> alerts) {
        metrics.batchSent(alerts.size());
        enqueue(EncodedAlert.frameOf(alerts));
    }

    private void enqueue(OutboundFrame frame) {
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
                write(frame);
            } finally {
                pumping = false;
            }
            if (!queueIdle()) {
                pump(); // frames queued while the write above completed synchronously
            }
            return;
        }
        if (queue == null) {
            queue = new OutboundQueue(queueSize);
        }
        OutboundQueue.Offer offer = queue.offer(frame);
        switch (offer) {
            case QUEUED -> metrics.queued(1);
            case DROPPED_OTHER, DROPPED_INCOMING -> {
                OutboundFrame victim = queue.lastDropped();
                long events = Math.max(1, victim.events());
                for (long seq : victim.seqs()) {
                    rememberDropped(seq);
                }
                stats.dropped(events);
                metrics.dropped("slow_consumer", events);
            }
            case OVERFLOW -> {
                // Only never-dropped frames are left and twice the capacity is reached: the client cannot keep up.
                Log.infof("Outbound queue of connection %s overflowed with undroppable frames", connection.id());
                onStuck.stuck(connection);
                return;
            }
        }
        pump();
    }

    /** Whether no frame and no gap notice waits in the queue. */
    private boolean queueIdle() {
        return queue == null || queue.isEmpty() && !queue.gapPending();
    }

    /** Whether the transport takes another frame now. */
    private boolean canWrite() {
        if (inFlight >= maxInFlight) {
            return false;
        }
        try {
            return socket == null || !socket.writeQueueFull();
        } catch (IllegalStateException closed) {
            // Vert.x throws for a closed socket: let the write fail (and be counted) until @OnClose retires us.
            return true;
        }
    }

    /** The socket's buffer went below its low-water mark: queued frames may go. */
    private synchronized void drained() {
        pump();
    }

    /** Hands queued frames to the transport while it takes them. */
    private void pump() {
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
                metrics.queued(-1);
                inFlight++;
                write(frame);
            }
        } finally {
            pumping = false;
        }
        watchFullness();
    }

    private void queueGap(OutboundQueue.GapNotice gap) {
        String text = Json.encode(new ServerMessage.Gap(gap.fromSeq(), gap.toSeq(), gap.dropped(), "slow_consumer"));
        if (queue.offer(OutboundFrame.control(MessageTypes.GAP, text)) == OutboundQueue.Offer.QUEUED) {
            metrics.queued(1);
        }
    }

    private void write(OutboundFrame frame) {
        byte[] bytes = socket == null ? null : frame.utf8();
        if (bytes != null && bytes.length <= MAX_DIRECT_FRAME_BYTES) {
            try {
                // The shared bytes, wrapped (not copied); the encoder copies them into the socket's buffer.
                io.vertx.core.Future<Void> result = socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT,
                        Unpooled.wrappedBuffer(bytes), true));
                // Handed to the socket on its own loop: counted as written now (a closed socket fails at once).
                // Back-pressure comes from the socket's writability, so waiting for the flush would only add a task
                // hop per frame.
                written(frame, result.failed() ? result.cause() : null);
            } catch (RuntimeException e) {
                written(frame, e);
            }
            return;
        }
        try {
            connection.sendText(frame.text()).subscribe().with(
                    ignored -> written(frame, null),
                    failure -> written(frame, failure));
        } catch (RuntimeException e) {
            written(frame, e);
        }
    }

    private void written(OutboundFrame frame, Throwable failure) {
        if (failure == null) {
            stats.sent();
            metrics.sent(frame.type(), frame.priority());
            long now = System.currentTimeMillis();
            for (long created : frame.createdAt()) {
                if (created > 0) {
                    stats.latency(now - created);
                    metrics.latency(now - created);
                }
            }
            if (frame.alertIds().length > 0) {
                // Only a completed write counts as delivered: a frame dropped, failed or still queued is not.
                onAlertsWritten.written(frame.alertIds());
            }
        } else {
            metrics.sendFailed(frame.type());
            Log.debugf("Sending %s to connection %s failed: %s", frame.type(), connection.id(), failure.toString());
        }
        Consumer<Boolean> callback;
        synchronized (this) {
            callback = writeCallbacks == null || writeCallbacks.isEmpty() ? null : writeCallbacks.remove(frame);
            inFlight--;
            pump();
        }
        if (callback != null) {
            callback.accept(failure == null);
        }
    }

    /** Frames not yet written: queued, in flight, waiting for the batch window or held during recovery. */
    public synchronized int pending() {
        return (queue == null ? 0 : queue.size()) + inFlight + (batches == null ? 0 : batches.size())
                + (held == null ? 0 : held.size());
    }

    /** Starts the stuck clock when the queue becomes full, stops it when there is room again. */
    private void watchFullness() {
        if (closed) {
            return;
        }
        if (queue != null && queue.isFull()) {
            if (fullSince == 0) {
                fullSince = System.nanoTime();
                stuckTimer = vertx.setTimer(stuckTimeoutMs, id -> stuckCheck());
            }
        } else if (fullSince != 0) {
            fullSince = 0;
            cancel(stuckTimer);
            stuckTimer = -1;
        }
    }

    private void stuckCheck() {
        boolean stuck;
        synchronized (this) {
            stuckTimer = -1;
            if (closed || fullSince == 0) {
                return;
            }
            long fullForMs = (System.nanoTime() - fullSince) / 1_000_000;
            stuck = fullForMs >= stuckTimeoutMs - 1;
            if (!stuck) {
                stuckTimer = vertx.setTimer(Math.max(1, stuckTimeoutMs - fullForMs), id -> stuckCheck());
            }
        }
        if (stuck) {
            Log.infof("Outbound queue of connection %s stayed full for %d ms: closing it", connection.id(),
                    stuckTimeoutMs);
            onStuck.stuck(connection);
        }
    }

    private void cancel(long timer) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The settings of one connection's delivery, read once from the configuration. */
    public record DeliverySettings(long batchWindowMs, int maxBatchSize, int queueSize, long stuckTimeoutMs,
                                   int maxInFlight) {
    }
}
