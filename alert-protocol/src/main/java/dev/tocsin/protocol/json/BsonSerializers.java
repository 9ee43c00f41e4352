package dev.tocsin.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

/**
 * JSON forms of the BSON types a MongoDB document can hold. Chosen for clients, not for round trips:
 * an ObjectId is its hex string, a date is an ISO-8601 instant, a Decimal128 is a JSON number (or a string
 * for NaN and the infinities, which JSON cannot carry), a BSON Timestamp is {@code {"t":seconds,"i":increment}}.
 */
final class BsonSerializers {

    private BsonSerializers() {
    }

    static final class ObjectIdSerializer extends StdSerializer<ObjectId> {
        ObjectIdSerializer() {
            super(ObjectId.class);
        }

        @Override
        public void serialize(ObjectId value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toHexString());
        }
    }

    static final class Decimal128Serializer extends StdSerializer<Decimal128> {
        Decimal128Serializer() {
            super(Decimal128.class);
        }

        @Override
        public void serialize(Decimal128 value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            writeDecimal128(value, gen);
        }
    }

    static final class TimestampSerializer extends StdSerializer<BsonTimestamp> {
        TimestampSerializer() {
            super(BsonTimestamp.class);
        }

        @Override
        public void serialize(BsonTimestamp value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            writeTimestamp(value, gen);
        }
    }

    static final class DateSerializer extends StdSerializer<Date> {
        DateSerializer() {
            super(Date.class);
        }

        @Override
        public void serialize(Date value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toInstant().toString());
        }
    }

    static final class BinarySerializer extends StdSerializer<Binary> {
        BinarySerializer() {
            super(Binary.class);
        }

        @Override
        public void serialize(Binary value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Base64.getEncoder().encodeToString(value.getData()));
        }
    }

    /** Leaf BSON values (documents and arrays are a Map and a List and take the safe container path). */
    static final class BsonValueSerializer extends StdSerializer<BsonValue> {
        BsonValueSerializer() {
            super(BsonValue.class);
        }

        @Override
        public void serialize(BsonValue value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            switch (value.getBsonType()) {
                case NULL, UNDEFINED -> gen.writeNull();
                case STRING -> gen.writeString(value.asString().getValue());
                case INT32 -> gen.writeNumber(value.asInt32().getValue());
                case INT64 -> gen.writeNumber(value.asInt64().getValue());
                case DOUBLE -> writeDouble(value.asDouble().getValue(), gen);
                case BOOLEAN -> gen.writeBoolean(value.asBoolean().getValue());
                case OBJECT_ID -> gen.writeString(value.asObjectId().getValue().toHexString());
                case DATE_TIME -> gen.writeString(Instant.ofEpochMilli(value.asDateTime().getValue()).toString());
                case TIMESTAMP -> writeTimestamp(value.asTimestamp(), gen);
                case DECIMAL128 -> writeDecimal128(value.asDecimal128().getValue(), gen);
                case BINARY -> gen.writeString(Base64.getEncoder().encodeToString(value.asBinary().getData()));
                case SYMBOL -> gen.writeString(value.asSymbol().getSymbol());
                case JAVASCRIPT -> gen.writeString(value.asJavaScript().getCode());
                case REGULAR_EXPRESSION -> gen.writeString(value.asRegularExpression().getPattern());
                case DOCUMENT -> provider.findValueSerializer(Map.class).serialize(value.asDocument(), gen, provider);
                case ARRAY -> provider.findValueSerializer(java.util.List.class).serialize(value.asArray(), gen, provider);
                default -> throw new IOException("BSON type " + value.getBsonType() + " has no JSON form");
            }
        }
    }

    private static void writeDecimal128(Decimal128 value, JsonGenerator gen) throws IOException {
        if (value.isNaN() || value.isInfinite()) {
            gen.writeString(value.toString());
        } else {
            gen.writeNumber(value.bigDecimalValue());
        }
    }

    private static void writeDouble(double value, JsonGenerator gen) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            gen.writeString(Double.toString(value));
        } else {
            gen.writeNumber(value);
        }
    }

    private static void writeTimestamp(BsonTimestamp value, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        gen.writeNumberField("t", value.getTime());
        gen.writeNumberField("i", value.getInc());
        gen.writeEndObject();
    }
}
