package dev.tocsin.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    private static final ObjectId OID = new ObjectId("65f0c0ffee0000000000abcd");
    private static final Instant WHEN = Instant.parse("2026-11-23T10:15:30.123Z");

    @Test
    void objectIdIsItsHexString() {
        assertEquals("\"65f0c0ffee0000000000abcd\"", Json.encode(OID));
    }

    @Test
    void datesAndInstantsAreIsoInstants() {
        assertEquals("\"2026-11-23T10:15:30.123Z\"", Json.encode(Date.from(WHEN)));
        assertEquals("\"2026-11-23T10:15:30.123Z\"", Json.encode(WHEN));
    }

    @Test
    void decimal128IsANumberAndNanIsAString() {
        assertEquals("12.3450", Json.encode(new Decimal128(new BigDecimal("12.3450"))));
        assertEquals("\"NaN\"", Json.encode(Decimal128.NaN));
    }

    @Test
    void bsonTimestampIsSecondsAndIncrement() {
        assertEquals("{\"t\":1700000000,\"i\":7}", Json.encode(new BsonTimestamp(1700000000, 7)));
    }

    @Test
    void enumsAreLowerCaseAndReadCaseInsensitively() {
        assertEquals("\"critical\"", Json.encode(Priority.CRITICAL));
        assertEquals(ChangeOp.UPDATED, Json.decode("\"UPDATED\"", ChangeOp.class));
        assertEquals(Priority.HIGH, Json.decode("\"high\"", Priority.class));
    }

    @Test
    void nestedDocumentsWithBsonValuesSerialize() {
        Document nested = new Document("id", OID).append("at", Date.from(WHEN))
                .append("amount", new Decimal128(new BigDecimal("1.5")))
                .append("ts", new BsonTimestamp(5, 1))
                .append("list", List.of(OID, new Document("deep", Priority.LOW)));
        Document doc = new Document("nested", nested);
        JsonNode tree = Json.tree(Json.encode(doc));
        assertEquals(OID.toHexString(), tree.at("/nested/id").asText());
        assertEquals("2026-11-23T10:15:30.123Z", tree.at("/nested/at").asText());
        assertEquals(1.5, tree.at("/nested/amount").asDouble());
        assertEquals(5, tree.at("/nested/ts/t").asInt());
        assertEquals(OID.toHexString(), tree.at("/nested/list/0").asText());
        assertEquals("low", tree.at("/nested/list/1/deep").asText());
    }

    @Test
    void bsonDocumentsSerializeAsPlainJson() {
        BsonDocument doc = new BsonDocument("s", new BsonString("x"))
                .append("n", new BsonInt32(3))
                .append("d", new BsonDecimal128(new Decimal128(new BigDecimal("2.25"))))
                .append("at", new BsonDateTime(WHEN.toEpochMilli()))
                .append("ts", new BsonTimestamp(9, 2))
                .append("arr", new BsonArray(List.of(new BsonInt32(1), new BsonString("two"))));
        JsonNode tree = Json.tree(Json.encode(doc));
        assertEquals("x", tree.get("s").asText());
        assertEquals(3, tree.get("n").asInt());
        assertEquals(2.25, tree.get("d").asDouble());
        assertEquals("2026-11-23T10:15:30.123Z", tree.get("at").asText());
        assertEquals(9, tree.at("/ts/t").asInt());
        assertEquals("two", tree.at("/arr/1").asText());
    }

    @Test
    void aValueThatCannotBeSerializedIsSkippedAndTheRestIsWritten() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("before", 1);
        metadata.put("broken", new Exploding());
        metadata.put("after", "kept");
        List<Object> list = new ArrayList<>(List.of("a"));
        list.add(new Exploding());
        list.add("c");
        metadata.put("list", list);
        Alert alert = sampleAlert(metadata);

        JsonNode tree = Json.tree(Json.encode(alert));

        assertEquals(1, tree.at("/metadata/before").asInt());
        assertEquals("kept", tree.at("/metadata/after").asText());
        assertFalse(tree.get("metadata").has("broken"));
        assertEquals(2, tree.at("/metadata/list").size());
        assertEquals("c", tree.at("/metadata/list/1").asText());
        assertEquals("Flood risk", tree.get("title").asText());
    }

    @Test
    void aSelfReferencingValueIsSkipped() {
        Map<String, Object> cyclic = new LinkedHashMap<>();
        cyclic.put("self", cyclic);
        cyclic.put("ok", true);
        JsonNode tree = Json.tree(Json.encode(Map.of("outer", cyclic)));
        assertTrue(tree.at("/outer/ok").asBoolean());
        assertFalse(tree.get("outer").has("self"));
    }

    @Test
    void eventsRoundTripWithAllFields() {
        Alert alert = sampleAlert(Map.of("k", "v"));
        AlertEvent event = new AlertEvent("e1", 42, ChangeOp.CREATED, alert.id(), alert, "tok", WHEN);
        AlertEvent back = Json.decode(Json.encode(event), AlertEvent.class);
        assertEquals(event, back);
    }

    @Test
    void nullMembersAreLeftOut() {
        String json = Json.encode(new Location(null, null, "DE-BY"));
        assertEquals("{\"region\":\"DE-BY\"}", json);
    }

    @Test
    void decodeErrorsNameTheProblemWithoutEchoingInput() {
        CodecException malformed = assertThrows(CodecException.class,
                () -> Json.decode("{\"title\": secret-token-xyz", Alert.class));
        assertEquals("malformed JSON", malformed.getMessage());
        assertFalse(malformed.getMessage().contains("secret-token-xyz"));

        CodecException badEnum = assertThrows(CodecException.class,
                () -> Json.decode("{\"priority\":\"urgent\"}", Alert.class));
        assertEquals("priority", badEnum.field());
        assertTrue(badEnum.getMessage().contains("critical, high, medium, low, info"), badEnum.getMessage());
    }

    @Test
    void documentConvertsToAlert() {
        Document doc = new Document("_id", OID).append("id", OID).append("priority", "critical")
                .append("title", "t").append("createdAt", Date.from(WHEN))
                .append("audience", new Document("everyone", false).append("users", List.of("alice")));
        Alert alert = Json.convert(doc, Alert.class);
        assertEquals(OID.toHexString(), alert.id());
        assertEquals(Priority.CRITICAL, alert.priority());
        assertEquals(WHEN, alert.createdAt());
        assertEquals(Set.of("alice"), alert.audience().users());
        assertNull(alert.location());
    }

    static Alert sampleAlert(Map<String, Object> metadata) {
        return new Alert(OID.toHexString(), Priority.HIGH, "outbreak_risk", "Flood risk", "River rising", "sensor-7",
                new Location(48.1, 11.5, "DE-BY"), 0.8, 0.9, 12000L, true, "https://example.org/a", WHEN.plusSeconds(3600),
                WHEN, WHEN, Audience.of(List.of("alice"), List.of("oncall")), metadata, null, null, null, null, null, null, null);
    }

    /** A value whose serialization fails, like the BSON value that took the seeds' sockets down. */
    static final class Exploding {
        public String getValue() {
            throw new IllegalStateException("boom");
        }
    }
}
