package dev.tocsin.gateway.delivery;

import dev.tocsin.gateway.clock.ManualTimers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StuckDetectorTest {

    private final ManualTimers timers = new ManualTimers();
    private final List<Boolean> verdicts = new ArrayList<>();
    private StuckDetector detector;

    StuckDetectorTest() {
        detector = new StuckDetector(timers, 1_000, () -> verdicts.add(detector.stuck()));
    }

    @Test
    void aQueueFullForTheWholeTimeoutIsStuck() {
        detector.queueFull(true);
        detector.queueFull(true);
        assertEquals(1, timers.pending(), "the clock starts once");
        timers.advance(999);
        assertEquals(List.of(), verdicts);
        timers.advance(1);
        assertEquals(List.of(true), verdicts);
    }

    @Test
    void roomInTheQueueStopsTheClock() {
        detector.queueFull(true);
        timers.advance(500);
        detector.queueFull(false);
        assertEquals(0, timers.pending());
        timers.advance(5_000);
        assertEquals(List.of(), verdicts);
    }

    @Test
    void aQueueFullAgainIsTimedFromWhenItBecameFullAgain() {
        detector.queueFull(true);
        timers.advance(600);
        detector.queueFull(false);
        detector.queueFull(true);
        timers.advance(999);
        assertEquals(List.of(), verdicts);
        timers.advance(1);
        assertEquals(List.of(true), verdicts);
    }

    @Test
    void closingStopsWatching() {
        detector.queueFull(true);
        detector.close();
        timers.advance(5_000);
        assertEquals(List.of(), verdicts);
    }
}
