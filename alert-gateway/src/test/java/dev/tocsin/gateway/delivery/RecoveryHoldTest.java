package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.message.ServerMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tocsin.gateway.delivery.Frames.alert;
import static dev.tocsin.gateway.delivery.Frames.change;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryHoldTest {

    @Test
    void keepsFramesInOrderUpToItsLimit() {
        RecoveryHold hold = new RecoveryHold(3);
        EncodedAlert first = alert(Priority.LOW, 1);
        OutboundFrame second = change(Priority.LOW, 2);
        EncodedAlert third = alert(Priority.CRITICAL, 3);
        assertTrue(hold.keep(first, 1));
        assertTrue(hold.keep(second, 2));
        assertTrue(hold.keep(third, 3));
        assertEquals(List.of(first, second, third), hold.frames());
        assertNull(hold.gap(), "nothing dropped, no gap notice");
    }

    @Test
    void beyondTheLimitFramesAreDroppedAndReportedAsOneGap() {
        RecoveryHold hold = new RecoveryHold(1);
        assertTrue(hold.keep(alert(Priority.LOW, 5), 5));
        assertFalse(hold.keep(alert(Priority.LOW, 9), 9));
        assertFalse(hold.keep(change(Priority.LOW, 7), 7));
        assertFalse(hold.keep(Frames.control("no-seq"), -1));
        assertEquals(1, hold.size());
        assertEquals(new ServerMessage.Gap(7, 9, 3, "slow_consumer"), hold.gap());
    }

    @Test
    void aGapWithoutSequenceNumbersSaysSo() {
        RecoveryHold hold = new RecoveryHold(1);
        hold.keep(Frames.control("kept"), -1);
        hold.keep(Frames.control("dropped"), -1);
        assertEquals(new ServerMessage.Gap(-1, -1, 1, "slow_consumer"), hold.gap());
    }

    @Test
    void theLimitIsTwiceTheQueueButNeverBelowTheMinimum() {
        RecoveryHold small = RecoveryHold.forQueueSize(10);
        for (int i = 0; i < RecoveryHold.MIN_LIMIT; i++) {
            assertTrue(small.keep(Frames.control("f" + i), -1));
        }
        assertFalse(small.keep(Frames.control("over"), -1));
        RecoveryHold large = RecoveryHold.forQueueSize(RecoveryHold.MIN_LIMIT);
        for (int i = 0; i < 2 * RecoveryHold.MIN_LIMIT; i++) {
            assertTrue(large.keep(Frames.control("f" + i), -1));
        }
        assertFalse(large.keep(Frames.control("over"), -1));
    }
}
