package dev.tocsin.ingest.changestream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequencePositionTest {

    @Test
    void anAnsweredPublishMakesThePositionExact() {
        SequencePosition restarted = new SequencePosition("e1", 10, false);
        SequencePosition next = restarted.after(new Published(14, "e1", false));
        assertEquals(new SequencePosition("e1", 14, true), next);
    }

    @Test
    void aDuplicateNeverMovesThePositionBackNorMakesItExact() {
        SequencePosition restarted = new SequencePosition("e1", 10, false);
        assertEquals(new SequencePosition("e1", 12, false), restarted.after(new Published(12, "e1", true)));
        assertEquals(new SequencePosition("e1", 10, false), restarted.after(new Published(8, "e1", true)));
        assertEquals(restarted, restarted.after(new Published(3, "", true)), "no epoch known: unchanged");
        SequencePosition otherEpoch = restarted.after(new Published(3, "e2", true));
        assertEquals("e2", otherEpoch.epoch());
        assertFalse(otherEpoch.exact(), "an earlier seq of another epoch says nothing about the last one");
    }

    @Test
    void inexactKeepsThePosition() {
        SequencePosition running = new SequencePosition("e1", 7);
        assertTrue(running.exact(), "the two-argument form is a running tailer's position");
        assertEquals(new SequencePosition("e1", 7, false), running.inexact());
        assertFalse(SequencePosition.NONE.exact());
    }
}
