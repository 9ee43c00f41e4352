package dev.tocsin.protocol.pacing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));

    @Test
    void doublesFromTheInitialWaitUpToTheCap() {
        assertEquals(Duration.ofMillis(250), backoff.ceiling(1));
        assertEquals(Duration.ofMillis(500), backoff.ceiling(2));
        assertEquals(Duration.ofMillis(1000), backoff.ceiling(3));
        assertEquals(Duration.ofMillis(8000), backoff.ceiling(6));
        assertEquals(Duration.ofSeconds(10), backoff.ceiling(7));
        assertEquals(Duration.ofSeconds(10), backoff.ceiling(1_000), "no overflow after many failures");
        assertEquals(Duration.ofMillis(250), backoff.ceiling(0), "no failure yet waits like the first");
    }

    @Test
    void jitterStaysBetweenHalfAndAllOfTheCeiling() {
        SplittableRandom random = new SplittableRandom(7);
        long lowest = Long.MAX_VALUE;
        long highest = Long.MIN_VALUE;
        for (int i = 0; i < 2_000; i++) {
            long wait = backoff.jittered(3, random).toMillis();
            lowest = Math.min(lowest, wait);
            highest = Math.max(highest, wait);
        }
        assertTrue(lowest >= 500, "lowest " + lowest);
        assertTrue(highest <= 1000, "highest " + highest);
        assertTrue(highest - lowest > 400, "the waits spread over the range: " + lowest + ".." + highest);
    }

    @Test
    void nonsenseSettingsBecomeUsableOnes() {
        Backoff odd = new Backoff(Duration.ZERO, Duration.ofMillis(-5));
        assertEquals(Duration.ofMillis(1), odd.initial());
        assertEquals(Duration.ofMillis(1), odd.max());
        assertEquals(Duration.ofMillis(1), odd.ceiling(20));
    }
}
