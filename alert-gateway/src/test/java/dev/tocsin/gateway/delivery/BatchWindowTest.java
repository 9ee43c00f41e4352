package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.clock.ManualTimers;
import dev.tocsin.protocol.alert.Priority;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.tocsin.gateway.delivery.Frames.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BatchWindowTest {

    private final ManualTimers timers = new ManualTimers();
    private final List<List<List<EncodedAlert>>> elapsed = new ArrayList<>();
    private BatchWindow window;

    private BatchWindow window(int maxBatchSize, long windowMs) {
        window = new BatchWindow(maxBatchSize, windowMs, timers, () -> elapsed.add(window.elapsed()));
        return window;
    }

    private static List<Long> seqs(List<EncodedAlert> alerts) {
        return alerts.stream().map(EncodedAlert::seq).toList();
    }

    @Test
    void theFirstWaitingAlertStartsTheWindowAndItsEndTakesEverything() {
        window(50, 100);
        assertNull(window.add(alert(Priority.LOW, 1)));
        assertNull(window.add(alert(Priority.HIGH, 2)));
        assertNull(window.add(alert(Priority.LOW, 3)));
        assertEquals(1, timers.pending(), "one timer for the window, not one per alert");
        assertEquals(100, timers.nextDelayMs());
        timers.advance(99);
        assertEquals(List.of(), elapsed);
        timers.advance(1);
        assertEquals(1, elapsed.size());
        List<List<EncodedAlert>> batches = elapsed.get(0);
        assertEquals(List.of(List.of(2L), List.of(1L, 3L)), batches.stream().map(BatchWindowTest::seqs).toList(),
                "one list per priority, most urgent first, each in arrival order");
        assertEquals(0, window.size());
    }

    @Test
    void aFullListLeavesAtOnceAndTheWindowGoesOnForTheRest() {
        window(2, 100);
        assertNull(window.add(alert(Priority.LOW, 1)));
        assertNull(window.add(alert(Priority.MEDIUM, 2)));
        assertEquals(List.of(1L, 3L), seqs(window.add(alert(Priority.LOW, 3))));
        assertEquals(1, window.size());
        timers.advance(100);
        assertEquals(List.of(List.of(2L)), elapsed.get(0).stream().map(BatchWindowTest::seqs).toList());
    }

    @Test
    void takingOnePriorityLeavesTheOthersWaiting() {
        window(50, 100);
        window.add(alert(Priority.LOW, 1));
        window.add(alert(Priority.HIGH, 2));
        assertEquals(List.of(2L), seqs(window.take(Priority.HIGH)));
        assertEquals(List.of(), window.take(Priority.HIGH));
        assertEquals(1, window.size());
    }

    @Test
    void closingStopsTheTimerAndForgetsWhatWaits() {
        window(50, 100);
        window.add(alert(Priority.LOW, 1));
        window.close();
        assertEquals(0, timers.pending());
        assertEquals(0, window.size());
    }

    @Test
    void afterTheWindowANewAlertStartsANewOne() {
        window(50, 100);
        window.add(alert(Priority.LOW, 1));
        timers.advance(100);
        window.add(alert(Priority.LOW, 2));
        assertEquals(1, timers.pending());
        timers.advance(100);
        assertEquals(2, elapsed.size());
        assertEquals(List.of(List.of(2L)), elapsed.get(1).stream().map(BatchWindowTest::seqs).toList());
    }
}
