package dev.tocsin.ingest.changestream;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What readiness reports: the published position never goes back, and a duplicate is no publication. */
class TailerStatusTest {

    private static final Instant T1 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant T2 = Instant.parse("2025-06-01T12:00:05Z");

    @Test
    void startsUnknownAndClosed() {
        TailerStatus status = new TailerStatus();
        assertFalse(status.isOpen());
        assertEquals(-1, status.lastSeq());
        assertNull(status.epoch());
        assertNull(status.lastChangeId());
        assertNull(status.lastPublishedAt());
        assertNull(status.lastError());
    }

    @Test
    void resumingReportsTheStoredPosition() {
        TailerStatus status = new TailerStatus();
        status.resumedAt("c-41", new SequencePosition("e1", 41));
        assertEquals("c-41", status.lastChangeId());
        assertEquals("e1", status.epoch());
        assertEquals(41, status.lastSeq());
        status.storedAt("c-42");
        assertEquals("c-42", status.lastChangeId());
    }

    @Test
    void aDuplicateNeitherCountsAsAPublicationNorMovesTheSeqBack() {
        TailerStatus status = new TailerStatus();
        status.published(new Published(7, "e1", false), T1);
        assertEquals(T1, status.lastPublishedAt());
        assertEquals(7, status.lastSeq());
        assertEquals("e1", status.epoch());

        status.published(new Published(3, "e1", true), T2);
        assertEquals(T1, status.lastPublishedAt(), "a duplicate was published before, not now");
        assertEquals(7, status.lastSeq(), "an earlier seq does not move the position back");

        status.published(new Published(8, "", false), T2);
        assertEquals("e1", status.epoch(), "an empty epoch keeps the known one");
        assertEquals(8, status.lastSeq());
    }

    @Test
    void openingClearsTheLastError() {
        TailerStatus status = new TailerStatus();
        status.failed("publish: ConnectException");
        status.opened();
        assertTrue(status.isOpen());
        assertNull(status.lastError());
        status.failed("MongoSocketReadException");
        status.closed();
        assertFalse(status.isOpen());
        assertEquals("MongoSocketReadException", status.lastError(), "closing keeps the reason");
    }
}
