package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.clock.Timers;
import dev.tocsin.gateway.socket.Transport;
import dev.tocsin.gateway.stats.ConnectionStats;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.MessageTypes;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Everything between the fan-out and one connection's transport, around a small queue core ({@link OutboundPump}: the
 * bounded outbound queue, its drop policy and the pump that feeds the transport while it has room). Live alerts and
 * changes reach the core through the pieces in front of it: the hold while the connection recovers
 * ({@link RecoveryHold}) and the batch window for non-critical alerts ({@link BatchWindow}); what either drops is
 * remembered for {@code sync} ({@link DroppedSeqs}). Answers, notices and replayed frames go to the core directly.
 * The socket write itself is {@code socket.SocketWriter}, behind {@link Transport}. Every frame that carries the
 * connection's resume cursor gets it as it is written ({@link ResumeCursor}), from what all of these still hold.
 *
 * <p>Called on the connection's event loop: the fan-out and every other feature submit their calls through the
 * connection's {@code ConnectionShard}, in order, and the write callbacks and timers run there too. One lock (this
 * object) still guards the state, so a call from elsewhere (a test, a drain) stays safe; on the one thread it is never
 * contended. Nothing here blocks.
 *
 * <p>Longer than the usual class on purpose: it is the one place that sees all the pieces at once, so it only
 * routes between them (what goes to the hold, the window, the queue or the dropped memory, and what the cursor may
 * claim); every decision with state of its own lives in the piece that owns it and has its own plain test.
 */
public final class ConnectionDelivery {

    /** Told the ids of the new alerts a frame carried once it was written to the socket (delivery records). */
    public interface AlertsWritten {
        void written(String[] alertIds);
    }

    private final String connectionId;
    private final ConnectionStats stats;
    private final DeliveryCounters counters;
    private final Timers timers;
    private final DeliverySettings settings;
    private final Runnable onStuck;
    private final AlertsWritten onAlertsWritten;
    private final OutboundPump pump;
    /** Created when first needed: an idle connection holds neither. */
    private BatchWindow window;
    private DroppedSeqs dropped;
    /** Non-null while live frames are held. */
    private RecoveryHold hold;
    private final ResumeCursor cursor = new ResumeCursor();

    /**
     * @param transport opens the connection's transport (a {@code SocketWriter} in the service)
     * @param onStuck   closes the connection when it does not read
     */
    public ConnectionDelivery(String connectionId, Transport.Opener<OutboundFrame> transport, ConnectionStats stats,
            DeliveryCounters counters, Timers timers, DeliverySettings settings, Runnable onStuck,
            AlertsWritten onAlertsWritten) {
        this.connectionId = connectionId;
        this.stats = stats;
        this.counters = counters;
        this.timers = timers;
        this.settings = settings;
        this.onStuck = onStuck;
        this.onAlertsWritten = onAlertsWritten;
        Transport<OutboundFrame> opened = transport.open(new Transport.Listener<>() {
            @Override
            public void written(OutboundFrame frame, Throwable failure) {
                ConnectionDelivery.this.written(frame, failure);
            }

            @Override
            public void drained() {
                ConnectionDelivery.this.drained();
            }
        });
        this.pump = new OutboundPump(connectionId, opened, stats, counters, timers, settings, onStuck,
                this::stuckTimerFired, this::rememberDropped, this::tail);
    }

    /**
     * A frame that passes neither the hold nor the batch window and is never dropped: an answer, a notice, or a frame
     * replayed for this connection ({@code sync}, inbox), which must go out ahead of the live frames held meanwhile.
     */
    public synchronized void send(OutboundFrame frame) {
        pump.enqueue(frame);
    }

    /**
     * {@link #send} with a callback told whether the frame reached the socket (for work that may only happen after
     * the client got the frame, such as deleting inbox entries).
     */
    public synchronized void send(OutboundFrame frame, Consumer<Boolean> onWritten) {
        pump.enqueue(frame, onWritten);
    }

    /** The connection goes live after {@code (epoch, seq)} (the greeting's position): the cursor starts there. */
    public synchronized void startAt(String epoch, long seq) {
        cursor.start(epoch, seq);
    }

    /**
     * The fan-out handed this connection every event up to {@code (epoch, seq)} (those it is not entitled to
     * included): the cursor may move up to there once what waits here is written.
     */
    public synchronized void offered(String epoch, long seq) {
        if (cursor.offered(epoch, seq)) {
            dropped = null; // positions of the old epoch mean nothing now
        }
    }

    /**
     * A {@code sync} replay wrote or queued, in order, every event this connection is entitled to up to {@code seq}
     * (the client's {@code since} first): the cursor follows the replay, not the live position, until the release.
     */
    public synchronized void replayingThrough(long seq) {
        cursor.replayingThrough(seq);
    }

    /**
     * A {@code sync} from {@code since} could not be served: until one is answered, frames carry a cursor no further
     * than {@code since}, so the client asks again for what it missed instead of being told it has it.
     */
    public synchronized void syncFailed(long since) {
        cursor.syncFailed(since);
    }

    /** A {@code sync} was answered, recovered or not: the cursor follows the connection again. */
    public synchronized void syncAnswered() {
        cursor.syncAnswered();
    }

    /** A {@code sync} replayed everything the connection is entitled to in {@code from..to}: none of it is dropped. */
    public synchronized void replayedRange(long from, long to) {
        if (dropped != null) {
            dropped.forget(from, to);
        }
    }

    /** From now on live alerts and changes are kept, not sent, until {@link #release}. */
    public synchronized void hold() {
        if (hold == null) {
            hold = RecoveryHold.forQueueSize(settings.queueSize());
        }
    }

    /**
     * Sends the frames kept since {@link #hold}, in their order, except those whose sequence number {@code keep}
     * refuses (already replayed), and reports live frames dropped while holding as a {@code gap}.
     */
    public synchronized void release(LongPredicate keep) {
        RecoveryHold released = hold;
        hold = null;
        // Live frames go from here, after the replay (if any) was queued: the cursor follows the live position again.
        cursor.replayDone();
        if (released == null || pump.closed()) {
            return;
        }
        ServerMessage.Gap gap = released.gap();
        if (gap != null) {
            pump.enqueue(OutboundFrame.control(MessageTypes.GAP, Json.encode(gap)));
        }
        for (Object frame : released.frames()) {
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
        return dropped != null && dropped.contains(seq);
    }

    /** The event was replayed: it no longer counts as dropped. */
    public synchronized void replayed(long seq) {
        if (dropped != null) {
            dropped.forget(seq);
        }
    }

    /** A new alert: critical ones go out at once, others wait for the batch window. */
    public synchronized void alert(EncodedAlert alert) {
        if (pump.closed()) {
            return;
        }
        if (hold != null) {
            keep(alert, alert.seq());
            return;
        }
        if (alert.priority() == Priority.CRITICAL) {
            pump.enqueue(alert.frame());
            return;
        }
        if (window == null) {
            window = new BatchWindow(settings.maxBatchSize(), settings.batchWindowMs(), timers, this::windowElapsed);
        } else if (window.size() > 0 && !Objects.equals(window.epoch(), alert.epoch())) {
            // A batch names one epoch: what waits from the old one goes first.
            for (List<EncodedAlert> waiting : window.takeAll()) {
                enqueueBatch(waiting);
            }
        }
        List<EncodedAlert> full = window.add(alert);
        if (full != null) {
            enqueueBatch(full);
        }
    }

    /**
     * Critical alerts the fan-out handed over together (one run of a burst), all in {@code frame}: sent at once as
     * that one frame, never dropped; while holding, each is kept like a single alert.
     */
    public synchronized void critical(List<EncodedAlert> alerts, OutboundFrame frame) {
        if (pump.closed()) {
            return;
        }
        if (hold != null) {
            for (EncodedAlert alert : alerts) {
                keep(alert, alert.seq());
            }
            return;
        }
        pump.enqueue(frame);
    }

    /**
     * A change of an alert ({@code alert_update}, {@code alert_ack}). Alerts of the same priority still waiting for
     * the window go first, so a client never sees an update before the alert it is about.
     */
    public synchronized void change(OutboundFrame frame) {
        if (pump.closed()) {
            return;
        }
        if (hold != null) {
            keep(frame, frame.fromSeq());
            return;
        }
        if (window == null) {
            // nothing waits for the window
        } else if (frame.priority() != null) {
            List<EncodedAlert> waiting = window.take(frame.priority());
            if (!waiting.isEmpty()) {
                enqueueBatch(waiting);
            }
        } else {
            for (List<EncodedAlert> waiting : window.takeAll()) {
                enqueueBatch(waiting);
            }
        }
        pump.enqueue(frame);
    }

    /** Frames not yet written: queued, in flight, waiting for the batch window or held during recovery. */
    public synchronized int pending() {
        return pump.queued() + pump.inFlight() + (window == null ? 0 : window.size()) + (hold == null ? 0 : hold.size());
    }

    /** Stops everything for a closed connection and releases what was queued. */
    public void close() {
        List<Consumer<Boolean>> unwritten;
        synchronized (this) {
            if (pump.closed()) {
                return;
            }
            if (window != null) {
                window.close();
            }
            hold = null;
            unwritten = pump.close();
        }
        unwritten.forEach(callback -> callback.accept(false));
    }

    /**
     * What ends {@code frame} for this connection as it is written, as UTF-8: its cursor (and epoch, when the frame
     * names none), or null when the frame carries no cursor or the cursor is not settled yet.
     */
    private byte[] tail(OutboundFrame frame) {
        if (frame.lane() != null) {
            cursor.written(frame.epoch(), frame.lane(), frame.toSeq()); // written now, whether it carries a cursor or not
        }
        OutboundFrame.CursorSlot slot = frame.cursorSlot();
        if (slot == OutboundFrame.CursorSlot.NONE || !cursor.settled()) {
            return null;
        }
        if (slot == OutboundFrame.CursorSlot.AFTER_EPOCH && !Objects.equals(frame.epoch(), cursor.epoch())) {
            return null; // the frame is about another epoch: a cursor of this one would mislead
        }
        return cursor.tail(oldestUnwritten(), dropped != null && !dropped.isEmpty(),
                slot == OutboundFrame.CursorSlot.WITH_EPOCH);
    }

    /** The oldest event this connection is to get that is not written yet (waiting or dropped), or MAX_VALUE. */
    private long oldestUnwritten() {
        long oldest = pump.oldestQueuedSeq();
        if (window != null) {
            oldest = Math.min(oldest, window.oldestSeq());
        }
        if (hold != null) {
            oldest = Math.min(oldest, hold.oldestSeqAbove(cursor.replayedThrough()));
        }
        if (dropped != null) {
            oldest = Math.min(oldest, dropped.oldest());
        }
        return oldest;
    }

    private void keep(Object frame, long seq) {
        if (hold.keep(frame, seq)) {
            return;
        }
        if (seq >= 0) {
            rememberDropped(seq);
        }
        stats.dropped(1);
        counters.dropped(1);
    }

    private void rememberDropped(long seq) {
        if (dropped == null) {
            dropped = new DroppedSeqs();
        }
        dropped.remember(seq);
    }

    private synchronized void windowElapsed() {
        if (pump.closed() || window == null) {
            return;
        }
        for (List<EncodedAlert> batch : window.elapsed()) {
            enqueueBatch(batch);
        }
    }

    private void enqueueBatch(List<EncodedAlert> alerts) {
        counters.batchSent(alerts.size());
        pump.enqueue(EncodedAlert.frameOf(alerts));
    }

    /** The socket's buffer went below its low-water mark: queued frames may go. */
    private synchronized void drained() {
        pump.pump();
    }

    private void written(OutboundFrame frame, Throwable failure) {
        if (failure == null) {
            stats.sent();
            counters.sent(frame.type(), frame.priority());
            long now = System.currentTimeMillis();
            long oldestCreated = Long.MAX_VALUE;
            for (long created : frame.createdAt()) {
                if (created > 0) {
                    stats.latency(now - created);
                    counters.latency(now - created);
                    oldestCreated = Math.min(oldestCreated, created);
                }
            }
            long fannedOut = frame.fannedOutNanos();
            if (fannedOut != OutboundFrame.NO_TIME) {
                // One clock read and two histogram samples per written live frame, no allocation.
                counters.fanoutWritten(System.nanoTime() - fannedOut);
                if (oldestCreated != Long.MAX_VALUE) {
                    counters.createdWritten(now - oldestCreated);
                }
            }
            if (frame.alertIds().length > 0) {
                // Only a completed write counts as delivered: a frame dropped, failed or still queued is not.
                onAlertsWritten.written(frame.alertIds());
            }
        } else {
            counters.sendFailed(frame.type());
            Log.debugf("Sending %s to connection %s failed: %s", frame.type(), connectionId, failure.toString());
        }
        Consumer<Boolean> callback;
        synchronized (this) {
            callback = pump.written(frame);
        }
        if (callback != null) {
            callback.accept(failure == null);
        }
    }

    private void stuckTimerFired() {
        boolean stuck;
        synchronized (this) {
            stuck = pump.stuck();
        }
        if (stuck) {
            Log.infof("Outbound queue of connection %s stayed full for %d ms: closing it", connectionId,
                    settings.stuckTimeoutMs());
            onStuck.run();
        }
    }
}
