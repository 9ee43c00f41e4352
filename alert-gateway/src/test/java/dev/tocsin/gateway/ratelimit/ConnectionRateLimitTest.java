package dev.tocsin.gateway.ratelimit;

import dev.tocsin.protocol.pacing.TokenBucket;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionRateLimitTest {

    @Test
    void bucketAllowsABurstThenRefillsSteadily() {
        TokenBucket bucket = new TokenBucket(60, 60_000, 0);
        for (int i = 0; i < 60; i++) {
            assertTrue(bucket.tryTake(0));
        }
        assertFalse(bucket.tryTake(0));
        assertEquals(1000, bucket.waitFor(0));
        assertFalse(bucket.tryTake(999));
        assertTrue(bucket.tryTake(1000));
        assertTrue(bucket.tryTake(60_000 + 1000)); // refilled, but never above capacity
        for (int i = 0; i < 59; i++) {
            assertTrue(bucket.tryTake(61_000));
        }
        assertFalse(bucket.tryTake(61_000));
    }

    @Test
    void violationsWithinAMinuteLeadToOneBan() {
        ConnectionRateLimit limit = new ConnectionRateLimit(2, 3, 0);
        assertNull(limit.check(0));
        assertNull(limit.check(0));
        ConnectionRateLimit.Refusal first = limit.check(0);
        assertNotNull(first);
        assertEquals(1, first.violations());
        assertFalse(first.ban());
        assertEquals(2, limit.check(1).violations());
        ConnectionRateLimit.Refusal third = limit.check(2);
        assertTrue(third.ban());
        assertFalse(limit.check(3).ban(), "the ban is reported once");
    }

    @Test
    void violationsOlderThanAMinuteAreForgotten() {
        ViolationWindow window = new ViolationWindow(60_000, 10);
        assertEquals(1, window.record(0));
        assertEquals(2, window.record(30_000));
        assertEquals(2, window.record(60_000)); // the first left the window
        assertEquals(1, window.record(150_000));
    }
}
