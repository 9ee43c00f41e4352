package dev.tocsin.gateway.heartbeat;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heartbeat's arithmetic: beats once per interval, checks four times, and the close bound it promises. */
class HeartbeatScheduleTest {

    private static final long INTERVAL = 30_000;
    private final HeartbeatSchedule schedule = new HeartbeatSchedule(Duration.ofMillis(INTERVAL));

    @Test
    void checksEveryQuarterIntervalAndBeatsOncePerInterval() {
        assertEquals(INTERVAL / 4, schedule.checkPeriodMs());
        int beats = 0;
        for (long round = 0; round < 40; round++) {
            beats += schedule.beatsOn(round) ? 1 : 0;
        }
        assertEquals(10, beats, "40 rounds are 10 intervals: one beat each");
        assertTrue(schedule.beatsOn(0), "the first round beats");
        assertFalse(schedule.beatsOn(1));
    }

    @Test
    void aConnectionIsSilentOnlyAfterMoreThanTwoIntervals() {
        assertFalse(schedule.isSilent(2 * INTERVAL, 0));
        assertTrue(schedule.isSilent(2 * INTERVAL + 1, 0));
    }

    /**
     * Whenever the last frame was heard relative to the timer's rounds, the first round that finds the connection
     * silent comes more than two and at most two and a quarter intervals after it (timer lateness aside).
     */
    @Test
    void aSilentConnectionIsClosedBetweenTwoAndTwoAndAQuarterIntervalsAfterTheLastFrame() {
        long period = schedule.checkPeriodMs();
        for (long lastHeard = 0; lastHeard < period; lastHeard += 97) {
            long round = 0;
            while (!schedule.isSilent(round * period, lastHeard)) {
                round++;
            }
            long closedAfter = round * period - lastHeard;
            assertTrue(closedAfter > 2 * INTERVAL, "closed after " + closedAfter + " ms");
            assertTrue(closedAfter <= schedule.closeBoundMs(), "closed after " + closedAfter + " ms");
        }
        assertEquals(2 * INTERVAL + INTERVAL / 4, schedule.closeBoundMs());
    }

    @Test
    void aLiveClientThatAnswersEachBeatIsNeverSilent() {
        long period = schedule.checkPeriodMs();
        long lastHeard = 0;
        long roundTripMs = 5_000; // a slow answer still arrives well within the limit
        for (long round = 0; round < 400; round++) {
            long now = round * period;
            if (schedule.beatsOn(round - 1) && round > 0) {
                lastHeard = (round - 1) * period + roundTripMs; // the pong to the previous round's ping frame
            }
            assertFalse(schedule.isSilent(now, lastHeard), "round " + round);
        }
    }

    @Test
    void aTinyIntervalStillChecksAtLeastEveryMillisecond() {
        assertEquals(1, new HeartbeatSchedule(Duration.ofMillis(2)).checkPeriodMs());
    }
}
