package dev.tocsin.gateway.delivery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DroppedSeqsTest {

    @Test
    void remembersUntilReplayed() {
        DroppedSeqs dropped = new DroppedSeqs();
        dropped.remember(4);
        assertTrue(dropped.contains(4));
        assertFalse(dropped.contains(5));
        dropped.forget(4);
        assertFalse(dropped.contains(4));
    }

    @Test
    void keepsTheOldestAsARangeWhenFull() {
        DroppedSeqs dropped = new DroppedSeqs();
        for (int i = 0; i < DroppedSeqs.CAPACITY; i++) {
            dropped.remember(1 + 2L * i);
        }
        dropped.remember(DroppedSeqs.CAPACITY * 2L + 1);
        dropped.remember(DroppedSeqs.CAPACITY * 2L + 3);
        // 1 and 3 were evicted: they still count, and so does 2 between them (a sync replays a little more)
        assertTrue(dropped.contains(1));
        assertTrue(dropped.contains(2));
        assertTrue(dropped.contains(3));
        assertFalse(dropped.contains(4));
        assertEquals(1, dropped.oldest(), "the cursor stays below what was evicted");
        dropped.forget(1, 3);
        assertFalse(dropped.contains(1));
        assertEquals(5, dropped.oldest());
    }

    @Test
    void aReplayedRangeIsForgotten() {
        DroppedSeqs dropped = new DroppedSeqs();
        dropped.remember(4);
        dropped.remember(9);
        dropped.forget(1, 5);
        assertFalse(dropped.contains(4));
        assertEquals(9, dropped.oldest());
    }
}
