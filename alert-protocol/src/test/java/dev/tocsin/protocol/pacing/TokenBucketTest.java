package dev.tocsin.protocol.pacing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {

    @Test
    void aFullBucketAllowsItsCapacityThenRefusesUntilItRefills() {
        TokenBucket bucket = new TokenBucket(3, 60_000, 0);
        assertTrue(bucket.tryTake(0));
        assertTrue(bucket.tryTake(0));
        assertTrue(bucket.tryTake(0));
        assertFalse(bucket.tryTake(0));
        assertEquals(20_000, bucket.waitFor(0), "one token per 20 s at 3 per minute");
        assertFalse(bucket.tryTake(19_999));
        assertTrue(bucket.tryTake(20_000));
        assertFalse(bucket.tryTake(20_000));
    }

    @Test
    void refillNeverExceedsTheCapacity() {
        TokenBucket bucket = new TokenBucket(2, 1_000, 0);
        assertTrue(bucket.tryTake(0));
        int taken = 0;
        while (bucket.tryTake(1_000_000)) {
            taken++;
        }
        assertEquals(2, taken);
    }

    @Test
    void reservationsBookFutureSlotsInOrder() {
        TokenBucket bucket = new TokenBucket(2, 1_000, 0);
        assertEquals(0, bucket.reserve(0));
        assertEquals(0, bucket.reserve(0));
        assertEquals(500, bucket.reserve(0), "the third token is 500 ms away at 2 per second");
        assertEquals(1_000, bucket.reserve(0), "the fourth one after it");
        assertEquals(500, bucket.reserve(1_000), "a second later two had refilled, both booked already");
    }

    @Test
    void aBucketIsIdleOnlyWhenUnusedForTheQuietPeriodAndFullAgain() {
        TokenBucket bucket = new TokenBucket(10, 1_000, 0);
        for (int i = 0; i < 10; i++) {
            bucket.reserve(0);
        }
        assertFalse(bucket.idle(50, 100), "used 50 ms ago");
        assertFalse(bucket.idle(150, 100), "unused for 100 ms, but still mostly empty");
        TokenBucket used = new TokenBucket(10, 1_000, 0);
        used.reserve(0);
        assertTrue(used.idle(2_000, 100));
    }
}
