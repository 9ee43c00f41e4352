package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.clock.ManualTimers;
import dev.tocsin.gateway.stats.ConnectionStats;
import dev.tocsin.protocol.alert.Priority;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.tocsin.gateway.delivery.Frames.EPOCH;
import static dev.tocsin.gateway.delivery.Frames.alert;
import static dev.tocsin.gateway.delivery.Frames.change;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The resume cursor each written frame carries (plain JUnit, the delivery with a list transport): its base never above
 * an event the connection is to get and has not been written, whatever waits in the batch window, the queue or the
 * hold, or was dropped; its lanes naming what went out ahead of the base; following a replay while a {@code sync} runs.
 */
class ResumeCursorTest {

    final ConnectionDeliveryTest.ListTransport transport = new ConnectionDeliveryTest.ListTransport();
    final ManualTimers timers = new ManualTimers();
    final ConnectionDelivery delivery = delivery(100);

    ConnectionDelivery delivery(int queueSize) {
        return new ConnectionDelivery("c1", listener -> {
            transport.listener = listener;
            return transport;
        }, new ConnectionStats(Instant.EPOCH), new ConnectionDeliveryTest.Counts(), timers,
                new DeliverySettings(100, 50, queueSize, 30_000, 64), () -> { }, ids -> { });
    }

    /** A connection as a fresh client has it: live from {@code seq}, the hold on connect over without a sync. */
    void liveFrom(ConnectionDelivery connection, long seq) {
        connection.startAt(EPOCH, seq);
        connection.hold();
        connection.release(s -> true);
    }

    static OutboundFrame ping() {
        return OutboundFrame.withCursor("ping", "{\"type\":\"ping\"}");
    }

    String lastTail() {
        return transport.tails.get(transport.tails.size() - 1);
    }

    @Test
    void noCursorBeforeTheConnectionKnowsWhereTheClientResumes() {
        delivery.startAt(EPOCH, 10);
        delivery.hold();
        delivery.send(ping());
        assertNull(lastTail(), "a resuming client may still sync from an older position");
        delivery.release(s -> true);
        delivery.send(ping());
        assertEquals(",\"epoch\":\"e1\",\"cursor\":\"10\"}", lastTail());
    }

    @Test
    void aCriticalAlertOvertakingABatchedOneCarriesACursorBelowIt() {
        liveFrom(delivery, 0);
        delivery.alert(alert(Priority.LOW, 1));
        delivery.offered(EPOCH, 1);
        delivery.offered(EPOCH, 2);
        delivery.alert(alert(Priority.CRITICAL, 2));
        assertEquals(List.of("alert:CRITICAL-2"), transport.written);
        assertEquals(",\"cursor\":\"0;critical=2\"}", lastTail(),
                "the low alert 1 still waits for the window; the critical 2 went out ahead of it");
        timers.advance(100);
        assertEquals(",\"cursor\":\"2\"}", lastTail(), "once the batch is written, nothing older waits");
    }

    @Test
    void eventsForOthersMoveTheCursor() {
        liveFrom(delivery, 5);
        delivery.offered(EPOCH, 40);
        delivery.send(ping());
        assertEquals(",\"epoch\":\"e1\",\"cursor\":\"40\"}", lastTail());
    }

    @Test
    void aDroppedEventHoldsTheCursorBelowItUntilASyncReplaysIt() {
        ConnectionDelivery small = delivery(2);
        liveFrom(small, 0);
        transport.full = true;
        small.change(change(Priority.LOW, 1));
        small.change(change(Priority.LOW, 2));
        small.change(change(Priority.CRITICAL, 3)); // never dropped: pushes out the newest low frame (2)
        small.offered(EPOCH, 3);
        transport.drain();
        small.send(ping());
        assertEquals(",\"epoch\":\"e1\",\"cursor\":\"1\"}", lastTail(), "2 was dropped: a resume must replay it");

        small.hold();
        small.replayingThrough(1);
        small.replayingThrough(2);
        small.send(OutboundFrame.replay("alert_update", "{\"seq\":2}", EPOCH, 2, null));
        small.replayed(2);
        small.replayingThrough(3);
        small.replayedRange(2, 3);
        small.release(s -> s > 3);
        small.send(ping());
        assertEquals(",\"epoch\":\"e1\",\"cursor\":\"3\"}", lastTail());
    }

    @Test
    void aReplayCarriesTheReplaysPositionNotTheLiveOne() {
        delivery.startAt(EPOCH, 100);
        delivery.hold();
        delivery.replayingThrough(40); // sync {since: 40}
        delivery.alert(alert(Priority.CRITICAL, 101)); // live, held
        delivery.offered(EPOCH, 101);
        delivery.replayingThrough(45);
        delivery.send(OutboundFrame.replay("alert", "{\"seq\":45}", EPOCH, 45, "id-45"));
        assertEquals(",\"cursor\":\"45\"}", lastTail());
        delivery.replayingThrough(100); // the sync's end: the pipeline's position when it started
        delivery.send(OutboundFrame.answerWithCursor("sync_response", "{\"type\":\"sync_response\"}", EPOCH));
        assertEquals(",\"cursor\":\"100\"}", lastTail(), "the held live alert 101 is not written yet");
        delivery.release(s -> s > 100);
        assertEquals("alert:CRITICAL-101", transport.written.get(transport.written.size() - 1));
        assertEquals(",\"cursor\":\"101\"}", lastTail());
    }

    @Test
    void aFailedSyncKeepsTheCursorAtItsSinceUntilASyncIsAnswered() {
        // A client that missed 41..100 reconnects to a gateway at 100; its sync {since: 40} cannot read the history.
        delivery.startAt(EPOCH, 100);
        delivery.hold();
        delivery.replayingThrough(40);
        delivery.alert(alert(Priority.CRITICAL, 101)); // live, held during the sync
        delivery.offered(EPOCH, 101);
        delivery.syncFailed(40);
        delivery.release(s -> true);
        assertEquals("alert:CRITICAL-101", transport.written.get(transport.written.size() - 1));
        assertEquals(",\"cursor\":\"40\"}", lastTail(),
                "41..100 were never written: a cursor of 101 (or a critical lane at 101) would tell the client it has them");
        delivery.alert(alert(Priority.CRITICAL, 102));
        delivery.offered(EPOCH, 102);
        assertEquals(",\"cursor\":\"40\"}", lastTail(), "still owed, and no lane: 102 does not cover older criticals");

        // The client's retry {since: 40} is served: the cursor follows the connection again.
        delivery.hold();
        delivery.replayingThrough(40);
        delivery.send(OutboundFrame.replay("alert", "{\"seq\":41}", EPOCH, 41, "id-41"));
        assertEquals(",\"cursor\":\"40\"}", lastTail());
        delivery.replayingThrough(102);
        delivery.syncAnswered();
        delivery.send(OutboundFrame.answerWithCursor("sync_response", "{\"type\":\"sync_response\"}", EPOCH));
        assertEquals(",\"cursor\":\"102\"}", lastTail());
        delivery.release(s -> s > 102);
        delivery.alert(alert(Priority.CRITICAL, 103));
        delivery.offered(EPOCH, 103);
        assertEquals(",\"cursor\":\"102;critical=103\"}", lastTail(), "lanes again, from the live position");
    }

    @Test
    void aFrameOfAnotherEpochCarriesNoCursorAndANewEpochStartsOver() {
        liveFrom(delivery, 50);
        delivery.offered("e2", 3);
        delivery.change(change(Priority.HIGH, 60)); // of epoch e1
        assertNull(lastTail());
        delivery.send(ping());
        assertEquals(",\"epoch\":\"e2\",\"cursor\":\"3\"}", lastTail());
    }

    @Test
    void framesWithoutACursorSlotGetNoTail() {
        liveFrom(delivery, 1);
        delivery.send(Frames.control("x"));
        assertNull(lastTail());
    }
}
