package dev.tocsin.ingest.common.retry;

import dev.tocsin.protocol.pacing.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsecutiveFailuresTest {

    @Test
    void doublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff policy = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        ConsecutiveFailures failures = new ConsecutiveFailures(policy);
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (long ceiling : ceilings) {
            long delay = failures.failed().toMillis();
            assertTrue(delay >= ceiling / 2 && delay <= ceiling, delay + " within [" + ceiling / 2 + ", " + ceiling + "]");
        }
        assertEquals(ceilings.length, failures.count());
        assertEquals(1000, policy.ceilingMillis(500), "no overflow after many failures");
        failures.reset();
        assertTrue(failures.failed().toMillis() <= 100);
    }
}
