package dev.tocsin.ingest.changestream;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The store's times of a change and of a resume token, with the local clock only as the last resort. */
class ChangeTimesTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:10Z");
    private final ChangeTimes times = new ChangeTimes(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void wallTimeWinsOverClusterTime() {
        BsonDocument event = BsonDocument.parse("""
                {"wallTime": {"$date": "2025-06-01T12:00:07.250Z"},
                 "clusterTime": {"$timestamp": {"t": 1748779200, "i": 3}}}""");
        assertEquals(Instant.parse("2025-06-01T12:00:07.250Z"), times.timeOf(event));
        assertEquals(Duration.ofMillis(2750), times.lagOf(event));
    }

    @Test
    void clusterTimeCountsInWholeSeconds() {
        BsonDocument event = BsonDocument.parse("{\"clusterTime\": {\"$timestamp\": {\"t\": 1748779205, \"i\": 9}}}");
        assertEquals(Instant.ofEpochSecond(1748779205), times.timeOf(event));
        assertEquals(Duration.between(Instant.ofEpochSecond(1748779205), NOW), times.lagOf(event));
    }

    @Test
    void anEventWithoutTimesTakesTheClockAndHasNoLag() {
        BsonDocument event = BsonDocument.parse("{\"operationType\": \"insert\"}");
        assertEquals(NOW, times.timeOf(event));
        assertEquals(Duration.ofMillis(-1), times.lagOf(event), "negative: the metric does not record it");
        assertNull(ChangeTimes.storeTimeOf(event));
    }

    @Test
    void aResumeTokenCarriesItsClusterTimeAfterTheTimestampTypeByte() {
        // 82, then the seconds as 4 bytes big-endian (0x683C4A40 = 1748781632), then the increment and the rest.
        assertEquals(Instant.ofEpochSecond(0x683C4A40L),
                ChangeTimes.clusterTimeOf(BsonDocument.parse("{\"_data\": \"82683C4A40000000012B022C0100296E5A1004\"}")));
        assertEquals(Instant.ofEpochSecond(0x683C4A40L),
                ChangeTimes.clusterTimeOf(BsonDocument.parse("{\"_data\": \"82683c4a40\"}")), "hex in either case");
    }

    @Test
    void otherTokenShapesHaveNoTime() {
        assertNull(ChangeTimes.clusterTimeOf(BsonDocument.parse("{\"_data\": \"0100000001\"}")), "another type byte");
        assertNull(ChangeTimes.clusterTimeOf(BsonDocument.parse("{\"_data\": \"82683C4A\"}")), "too short");
        assertNull(ChangeTimes.clusterTimeOf(BsonDocument.parse("{\"_data\": \"82XYZ00000\"}")), "not hex");
        assertNull(ChangeTimes.clusterTimeOf(BsonDocument.parse("{\"_data\": 42}")), "not a string");
        assertNull(ChangeTimes.clusterTimeOf(BsonDocument.parse("{\"x\": 1}")), "no _data");
    }
}
