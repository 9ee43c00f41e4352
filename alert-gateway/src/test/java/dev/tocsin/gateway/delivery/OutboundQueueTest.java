package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundQueueTest {

    private static OutboundFrame alert(Priority priority, long seq) {
        return OutboundFrame.event("alert", priority + "-" + seq, priority, "e1", seq);
    }

    private static List<String> drain(OutboundQueue queue) {
        List<String> texts = new ArrayList<>();
        for (OutboundFrame frame = queue.poll(); frame != null; frame = queue.poll()) {
            texts.add(frame.text());
        }
        return texts;
    }

    @Test
    void keepsArrivalOrderWhileThereIsRoom() {
        OutboundQueue queue = new OutboundQueue(10);
        queue.offer(alert(Priority.LOW, 1));
        queue.offer(alert(Priority.HIGH, 2));
        queue.offer(alert(Priority.LOW, 3));
        assertEquals(List.of("LOW-1", "HIGH-2", "LOW-3"), drain(queue));
        assertNull(queue.takeGap());
    }

    @Test
    void neverDroppedFramesGoFirst() {
        OutboundQueue queue = new OutboundQueue(10);
        queue.offer(alert(Priority.LOW, 1));
        queue.offer(alert(Priority.CRITICAL, 2));
        queue.offer(OutboundFrame.control("pong", "pong"));
        assertEquals(List.of("CRITICAL-2", "pong", "LOW-1"), drain(queue));
    }

    @Test
    void overflowDropsTheLowestPriorityFirstAndReportsAGap() {
        OutboundQueue queue = new OutboundQueue(3);
        queue.offer(alert(Priority.HIGH, 1));
        queue.offer(alert(Priority.INFO, 2));
        queue.offer(alert(Priority.MEDIUM, 3));
        assertEquals(OutboundQueue.Offer.DROPPED_OTHER, queue.offer(alert(Priority.HIGH, 4)));
        assertEquals(Priority.INFO, queue.lastDropped().priority());
        assertEquals(OutboundQueue.Offer.DROPPED_OTHER, queue.offer(alert(Priority.CRITICAL, 5)));
        assertEquals(Priority.MEDIUM, queue.lastDropped().priority());
        // incoming of the lowest priority present is itself dropped
        assertEquals(OutboundQueue.Offer.DROPPED_INCOMING, queue.offer(alert(Priority.LOW, 6)));
        assertNull(queue.takeGap(), "no gap while the queue is still full");
        assertEquals("CRITICAL-5", queue.poll().text());
        OutboundQueue.GapNotice gap = queue.takeGap();
        assertEquals(new OutboundQueue.GapNotice(2, 6, 3), gap);
        assertNull(queue.takeGap(), "reported once");
        assertEquals(List.of("HIGH-1", "HIGH-4"), drain(queue));
        assertEquals(3, queue.droppedTotal());
    }

    @Test
    void criticalFramesAreNeverDroppedUntilTheHardCap() {
        OutboundQueue queue = new OutboundQueue(2);
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(alert(Priority.CRITICAL, 1)));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(alert(Priority.CRITICAL, 2)));
        assertEquals(OutboundQueue.Offer.DROPPED_INCOMING, queue.offer(alert(Priority.HIGH, 3)));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(alert(Priority.CRITICAL, 4)));
        assertEquals(OutboundQueue.Offer.QUEUED, queue.offer(OutboundFrame.control("error", "e")));
        assertEquals(OutboundQueue.Offer.OVERFLOW, queue.offer(alert(Priority.CRITICAL, 5)));
        assertEquals(List.of("CRITICAL-1", "CRITICAL-2", "CRITICAL-4", "e"), drain(queue));
    }

    @Test
    void orderWithinAPriorityHoldsAcrossDrops() {
        OutboundQueue queue = new OutboundQueue(4);
        for (long seq = 1; seq <= 20; seq++) {
            queue.offer(alert(seq % 2 == 0 ? Priority.HIGH : Priority.LOW, seq));
        }
        List<String> texts = drain(queue);
        assertTrue(texts.stream().allMatch(t -> t.startsWith("HIGH")), texts::toString);
        List<Long> seqs = texts.stream().map(t -> Long.parseLong(t.substring(5))).toList();
        List<Long> sortedSeqs = new ArrayList<>(seqs);
        sortedSeqs.sort(Long::compare);
        assertEquals(sortedSeqs, seqs);
    }

    @Test
    void batchesCountTheirEventsWhenDropped() {
        OutboundQueue queue = new OutboundQueue(1);
        queue.offer(alert(Priority.HIGH, 1));
        queue.offer(new OutboundFrame("alert_batch", "batch", Priority.LOW, 2, 9, 8, new long[0], new long[0]));
        queue.poll();
        assertEquals(new OutboundQueue.GapNotice(2, 9, 8), queue.takeGap());
    }
}
