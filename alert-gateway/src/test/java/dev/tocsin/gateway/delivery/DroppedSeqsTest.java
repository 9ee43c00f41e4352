package dev.tocsin.gateway.delivery;

import org.junit.jupiter.api.Test;

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
    void keepsOnlyTheNewestWhenFull() {
        DroppedSeqs dropped = new DroppedSeqs();
        for (long seq = 1; seq <= DroppedSeqs.CAPACITY + 2; seq++) {
            dropped.remember(seq);
        }
        assertFalse(dropped.contains(1));
        assertFalse(dropped.contains(2));
        assertTrue(dropped.contains(3));
        assertTrue(dropped.contains(DroppedSeqs.CAPACITY + 2));
    }
}
