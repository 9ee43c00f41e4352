package dev.tocsin.ingest.changestream;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a history-lost replay is due, where it starts, and the change ids it publishes under. */
class HistoryLostRulesTest {

    private static MongoCommandException commandError(int code, String name) {
        return new MongoCommandException(BsonDocument.parse(
                "{\"ok\": 0, \"code\": " + code + ", \"codeName\": \"" + name + "\", \"errmsg\": \"x\"}"),
                new ServerAddress());
    }

    @Test
    void onlyALostHistoryCallsForAReplay() {
        assertTrue(HistoryLostReplay.isHistoryLost(commandError(286, "ChangeStreamHistoryLost")));
        assertTrue(HistoryLostReplay.isHistoryLost(commandError(280, "ChangeStreamFatalError")));
        assertFalse(HistoryLostReplay.isHistoryLost(commandError(11601, "Interrupted")));
        assertFalse(HistoryLostReplay.isHistoryLost(new IllegalStateException("ChangeStreamHistoryLost")));
    }

    @Test
    void theReplayStartsAMarginBeforeTheLostPositionOrAtTheBeginning() {
        Instant positionTime = Instant.parse("2025-06-01T12:00:00Z");
        assertEquals(Instant.parse("2025-06-01T11:59:00Z"),
                HistoryLostReplay.replayFrom(positionTime, Duration.ofMinutes(1)));
        assertEquals(Instant.EPOCH, HistoryLostReplay.replayFrom(null, Duration.ofMinutes(1)),
                "unknown position time: everything stored");
    }

    @Test
    void aReplayedChangeIsNamedByItsAlertAndStoredTime() {
        assertEquals("replay:a1:2025-06-01T12:00:00.250Z", HistoryLostReplay.changeIdOf("a1",
                BsonDocument.parse("{\"updatedAt\": {\"$date\": \"2025-06-01T12:00:00.250Z\"}}")));
        assertEquals("replay:a1:unknown", HistoryLostReplay.changeIdOf("a1", BsonDocument.parse("{\"title\": \"t\"}")));
    }
}
