package dev.tocsin.gateway.pipeline;

import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RecentEventsTest {

    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private static AlertEvent event(String epoch, long seq) {
        return new AlertEvent(epoch, seq, ChangeOp.DELETED, "alert-" + seq, null, "change-" + seq, T0.plusSeconds(seq));
    }

    private static List<Long> seqs(List<AlertEvent> events) {
        return events == null ? null : events.stream().map(AlertEvent::seq).toList();
    }

    @Test
    void wrapsAroundKeepingTheNewestInOrder() {
        RecentEvents recent = new RecentEvents(3, Long.MAX_VALUE);
        for (long seq = 10; seq <= 17; seq++) {
            recent.add(event("e", seq));
        }
        assertEquals(List.of(15L, 16L, 17L), seqs(recent.range("e", 15, 17, T0)));
        assertEquals(List.of(16L), seqs(recent.range("e", 16, 16, T0)));
        assertNull(recent.range("e", 14, 17, T0), "14 was overwritten");
        assertNull(recent.range("e", 16, 18, T0), "18 is not there yet");
        assertNull(recent.range("e", 17, 16, T0), "an empty range is not served");
    }

    @Test
    void aPositionOutOfLineOrAnotherEpochStartsOver() {
        RecentEvents recent = new RecentEvents(5, Long.MAX_VALUE);
        recent.add(event("e", 1));
        recent.add(event("e", 2));
        recent.add(event("e", 4));
        assertNull(recent.range("e", 1, 2, T0));
        assertEquals(List.of(4L), seqs(recent.range("e", 4, 4, T0)));
        recent.add(event("f", 5));
        assertNull(recent.range("e", 4, 4, T0));
        assertEquals(List.of(5L), seqs(recent.range("f", 5, 5, T0)));
        recent.clear();
        assertNull(recent.range("f", 5, 5, T0));
    }

    @Test
    void aRangeStartingBeforeTheAgeBoundIsNotServed() {
        RecentEvents recent = new RecentEvents(5, Long.MAX_VALUE);
        for (long seq = 1; seq <= 4; seq++) {
            recent.add(event("e", seq));
        }
        assertEquals(List.of(2L, 3L, 4L), seqs(recent.range("e", 2, 4, T0.plusSeconds(2))));
        assertNull(recent.range("e", 1, 4, T0.plusSeconds(2)), "event 1 was published before the bound");
    }

    @Test
    void aWindowOfZeroKeepsNothing() {
        RecentEvents recent = new RecentEvents(0, Long.MAX_VALUE);
        recent.add(event("e", 1));
        assertNull(recent.range("e", 1, 1, T0));
    }

    @Test
    void theOldestMakeRoomWhenTheEventsWouldHoldMoreThanTheByteBound() {
        long each = EventFootprint.of(event("e", 1));
        RecentEvents recent = new RecentEvents(100, 3 * each);
        for (long seq = 1; seq <= 5; seq++) {
            recent.add(event("e", seq));
        }
        assertEquals(List.of(3L, 4L, 5L), seqs(recent.range("e", 3, 5, T0)));
        assertNull(recent.range("e", 2, 5, T0));
        assertEquals(3 * each, recent.bytes());
    }

    @Test
    void anEventLargerThanTheByteBoundStartsTheWindowOverAfterIt() {
        RecentEvents recent = new RecentEvents(100, EventFootprint.of(event("e", 1)));
        recent.add(event("e", 1));
        AlertEvent huge = new AlertEvent("e", 2, ChangeOp.DELETED, "alert-2", null, "x".repeat(10_000), T0);
        recent.add(huge);
        assertNull(recent.range("e", 1, 1, T0), "cleared: 2 cannot be held, so 1..3 could never be answered");
        assertEquals(0, recent.bytes());
        recent.add(event("e", 3));
        assertEquals(List.of(3L), seqs(recent.range("e", 3, 3, T0)));
    }
}
