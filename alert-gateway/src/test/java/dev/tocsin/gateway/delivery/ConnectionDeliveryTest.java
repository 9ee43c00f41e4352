package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.clock.ManualTimers;
import dev.tocsin.gateway.socket.Transport;
import dev.tocsin.gateway.stats.ConnectionStats;
import dev.tocsin.protocol.alert.Priority;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.tocsin.gateway.delivery.Frames.alert;
import static dev.tocsin.gateway.delivery.Frames.change;
import static dev.tocsin.gateway.delivery.Frames.control;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery's core on its own (plain JUnit): a transport that writes into a list and can report a full buffer,
 * and timers the test moves, stand for the socket and Vert.x. The Quarkus tests (BackpressureTest,
 * EventDeliveryTest) cover the same behaviour through real sockets.
 */
class ConnectionDeliveryTest {

    /** A transport whose buffer the test fills and drains; writes complete at once, like the direct socket path. */
    static final class ListTransport implements Transport<OutboundFrame> {
        final List<String> written = new ArrayList<>();
        /** What each write appended for the connection (its cursor), null when nothing. */
        final List<String> tails = new ArrayList<>();
        Listener<OutboundFrame> listener;
        boolean full;

        @Override
        public boolean bufferFull() {
            return full;
        }

        @Override
        public void write(OutboundFrame frame, byte[] tail) {
            written.add(frame.text());
            tails.add(tail == null ? null : new String(tail, StandardCharsets.UTF_8));
            listener.written(frame, null);
        }

        void drain() {
            full = false;
            listener.drained();
        }
    }

    /** The counts the delivery reports, as the metrics would see them. */
    static final class Counts implements DeliveryCounters {
        long sent;
        long dropped;
        long queued;
        final List<Integer> batches = new ArrayList<>();
        final List<Long> fanoutWrites = new ArrayList<>();
        final List<Long> createdWrites = new ArrayList<>();

        @Override
        public void sent(String type, Priority priority) {
            sent++;
        }

        @Override
        public void sendFailed(String type) {
        }

        @Override
        public void latency(long millis) {
        }

        @Override
        public void fanoutWritten(long nanos) {
            fanoutWrites.add(nanos);
        }

        @Override
        public void createdWritten(long millis) {
            createdWrites.add(millis);
        }

        @Override
        public void dropped(long events) {
            dropped += events;
        }

        @Override
        public void queued(long delta) {
            queued += delta;
        }

        @Override
        public void batchSent(int alerts) {
            batches.add(alerts);
        }
    }

    final ListTransport transport = new ListTransport();
    final Counts counts = new Counts();
    final ManualTimers timers = new ManualTimers();
    final List<String[]> recorded = new ArrayList<>();
    int stuck;

    ConnectionDelivery delivery(int queueSize) {
        return new ConnectionDelivery("c1", listener -> {
            transport.listener = listener;
            return transport;
        }, new ConnectionStats(Instant.EPOCH), counts, timers, new DeliverySettings(100, 50, queueSize, 30_000, 64),
                () -> stuck++, recorded::add);
    }

    @Test
    void aWrittenFrameOfNewAlertsIsTimedFromItsOldestAlertsCreation() {
        ConnectionDelivery delivery = delivery(100);
        long now = System.currentTimeMillis();
        long fannedOut = System.nanoTime();
        delivery.alert(new EncodedAlert(Frames.EPOCH, 1, Priority.CRITICAL, now - 1_000, "alert:1", "\"1\"", "id-1", fannedOut));
        delivery.alert(new EncodedAlert(Frames.EPOCH, 2, Priority.LOW, now - 3_000, "alert:2", "\"2\"", "id-2", fannedOut));
        delivery.alert(new EncodedAlert(Frames.EPOCH, 3, Priority.LOW, now - 2_000, "alert:3", "\"3\"", "id-3", fannedOut));
        delivery.alert(new EncodedAlert(Frames.EPOCH, 4, Priority.CRITICAL, 0, "alert:4", "\"4\"", "id-4", fannedOut));
        timers.advance(100);
        assertEquals(3, transport.written.size(), "two critical alerts, then one batch of two");
        assertEquals(2, counts.createdWrites.size(), "one sample per written frame whose alerts have a creation time");
        assertTrue(counts.createdWrites.get(0) >= 1_000 && counts.createdWrites.get(0) < 60_000, counts.createdWrites.toString());
        assertTrue(counts.createdWrites.get(1) >= 3_000, "the batch counts from its oldest alert: " + counts.createdWrites);
    }

    @Test
    void aWrittenFrameOfNewAlertsIsTimedFromItsOldestAlertsFanOut() {
        ConnectionDelivery delivery = delivery(100);
        long start = System.nanoTime();
        delivery.alert(new EncodedAlert(Frames.EPOCH, 1, Priority.CRITICAL, 0, "alert:1", "\"1\"", "id-1", start));
        delivery.alert(new EncodedAlert(Frames.EPOCH, 2, Priority.LOW, 0, "alert:2", "\"2\"", "id-2", start - 5_000_000));
        delivery.alert(new EncodedAlert(Frames.EPOCH, 3, Priority.LOW, 0, "alert:3", "\"3\"", "id-3", start));
        delivery.send(control("pong")); // carries no new alert: not timed
        timers.advance(100);
        assertEquals(3, transport.written.size(), "the critical alert, the answer, then one batch of two");
        assertEquals(2, counts.fanoutWrites.size(), "one sample per written frame of new alerts");
        assertTrue(counts.fanoutWrites.get(0) >= 0);
        assertTrue(counts.fanoutWrites.get(1) >= 5_000_000, "the batch counts from its oldest alert");
    }

    @Test
    void criticalAlertsGoAtOnceOthersLeaveTogetherWhenTheWindowEnds() {
        ConnectionDelivery delivery = delivery(100);
        delivery.alert(alert(Priority.LOW, 1));
        delivery.alert(alert(Priority.CRITICAL, 2));
        delivery.alert(alert(Priority.LOW, 3));
        assertEquals(List.of("alert:CRITICAL-2"), transport.written);
        timers.advance(100);
        assertEquals(List.of("alert:CRITICAL-2",
                EncodedAlert.BATCH_PREFIX + "\"e1\"" + EncodedAlert.BATCH_ALERTS + "\"LOW-1\",\"LOW-3\"]}"),
                transport.written);
        assertEquals(List.of(2), counts.batches);
        assertEquals(List.of(List.of("id-2"), List.of("id-1", "id-3")),
                recorded.stream().map(List::of).toList(), "written alerts are recorded as delivered");
    }

    @Test
    void aChangeNeverOvertakesTheAlertItIsAbout() {
        ConnectionDelivery delivery = delivery(100);
        delivery.alert(alert(Priority.MEDIUM, 1));
        delivery.alert(alert(Priority.LOW, 2));
        delivery.change(change(Priority.MEDIUM, 3));
        assertEquals(List.of("alert:MEDIUM-1", "change:MEDIUM-3"), transport.written,
                "the waiting alert of the change's priority goes first; the low one keeps waiting");
        timers.advance(100);
        assertEquals("alert:LOW-2", transport.written.get(2));
    }

    @Test
    void aFullQueueDropsTheNewestLowestFrameAndTellsTheClientOnceThereIsRoom() {
        ConnectionDelivery delivery = delivery(2);
        transport.full = true;
        delivery.change(change(Priority.HIGH, 1));
        delivery.change(change(Priority.LOW, 2));
        delivery.change(change(Priority.LOW, 3));
        delivery.alert(alert(Priority.CRITICAL, 4));
        assertEquals(List.of(), transport.written, "nothing written while the transport's buffer is full");
        assertEquals(2, counts.dropped, "LOW-3 (incoming), then LOW-2 for the critical alert");
        assertTrue(delivery.wasDropped(2));
        assertTrue(delivery.wasDropped(3));
        assertFalse(delivery.wasDropped(1));
        transport.drain();
        assertEquals(3, transport.written.size());
        assertEquals("alert:CRITICAL-4", transport.written.get(0), "never-dropped frames first");
        String gap = transport.written.get(1);
        assertTrue(gap.contains("\"type\":\"gap\"") && gap.contains("\"fromSeq\":2") && gap.contains("\"toSeq\":3")
                && gap.contains("\"reason\":\"slow_consumer\""), "the gap notice as soon as there is room: " + gap);
        assertEquals("change:HIGH-1", transport.written.get(2));
        assertEquals(0, counts.queued, "the queue gauge is back to zero");
        delivery.replayed(2);
        assertFalse(delivery.wasDropped(2), "a replayed event no longer counts as dropped");
    }

    @Test
    void heldFramesFollowTheReplayMinusThoseItCovered() {
        ConnectionDelivery delivery = delivery(100);
        delivery.hold();
        delivery.alert(alert(Priority.CRITICAL, 5));
        delivery.change(change(Priority.HIGH, 6));
        delivery.alert(alert(Priority.CRITICAL, 7));
        delivery.send(control("replayed-5"));
        assertEquals(List.of("control:replayed-5"), transport.written, "only the replay passes the hold");
        assertEquals(3, delivery.pending(), "held frames count as pending (drain waits for them)");
        delivery.release(seq -> seq > 5);
        assertEquals(List.of("control:replayed-5", "change:HIGH-6", "alert:CRITICAL-7"), transport.written);
        assertEquals(0, delivery.pending());
    }

    @Test
    void aQueueThatStaysFullClosesTheConnection() {
        ConnectionDelivery delivery = delivery(1);
        transport.full = true;
        delivery.change(change(Priority.LOW, 1));
        timers.advance(29_999);
        assertEquals(0, stuck);
        timers.advance(1);
        assertEquals(1, stuck);
    }

    @Test
    void aQueueThatDrainsInTimeStaysOpen() {
        ConnectionDelivery delivery = delivery(1);
        transport.full = true;
        delivery.change(change(Priority.LOW, 1));
        timers.advance(20_000);
        transport.drain();
        timers.advance(60_000);
        assertEquals(0, stuck);
        assertEquals(List.of("change:LOW-1"), transport.written);
    }

    @Test
    void aWriteCallbackHearsOfTheWriteOrOfTheClose() {
        ConnectionDelivery delivery = delivery(100);
        List<Boolean> outcomes = new ArrayList<>();
        delivery.send(control("now"), outcomes::add);
        assertEquals(List.of(true), outcomes);
        transport.full = true;
        delivery.send(control("never"), outcomes::add);
        delivery.close();
        assertEquals(List.of(true, false), outcomes);
        assertEquals(0, counts.queued, "closing releases the queue");
        delivery.send(control("after-close"), outcomes::add);
        assertEquals(List.of(true, false, false), outcomes);
    }
}
