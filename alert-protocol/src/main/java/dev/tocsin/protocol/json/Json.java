package dev.tocsin.protocol.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one JSON codec of Tocsin. Everything that leaves a service as JSON (REST bodies, WebSocket frames, Redis
 * events, push payloads) is written by a mapper built here, so every service agrees on:
 * <ul>
 *   <li>BSON types: ObjectId, Date, Decimal128, BSON Timestamp, Binary, BsonValue, Document (see {@link BsonSerializers});</li>
 *   <li>enums as lower-case names ({@code critical}), read case-insensitively;</li>
 *   <li>java.time values as ISO-8601 strings;</li>
 *   <li>null members left out;</li>
 *   <li>a member that cannot be serialized is logged and left out, never a failed message (see {@link SkippingSerializers}).</li>
 * </ul>
 * Unknown properties are ignored on read so that older consumers accept newer producers.
 */
public final class Json {

    private static final ObjectMapper MAPPER = newMapper();

    private Json() {
    }

    /** A new mapper with Tocsin's configuration, for frameworks that want their own instance (REST, Redis). */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(tocsinModule())
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
    }

    /** Tocsin's serializers as a Jackson module (BSON types, lower-case enums, member isolation). */
    public static SimpleModule tocsinModule() {
        SimpleModule module = new SimpleModule("tocsin");
        module.addSerializer(new BsonSerializers.ObjectIdSerializer());
        module.addSerializer(new BsonSerializers.Decimal128Serializer());
        module.addSerializer(new BsonSerializers.TimestampSerializer());
        module.addSerializer(new BsonSerializers.DateSerializer());
        module.addSerializer(new BsonSerializers.BinarySerializer());
        module.addSerializer(new BsonSerializers.BsonValueSerializer());
        module.addSerializer(new SkippingSerializers.SkippingMapSerializer());
        module.addSerializer(new SkippingSerializers.SkippingCollectionSerializer());
        module.addSerializer(new LowerCaseEnumSerializer());
        module.setSerializerModifier(new SkippingSerializers.Modifier());
        return module;
    }

    /** The shared mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Encodes a value; members that cannot be serialized are left out (and logged). */
    public static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot encode " + typeName(value), null, e);
        }
    }

    public static byte[] encodeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot encode " + typeName(value), null, e);
        }
    }

    /** Decodes a text; a {@link CodecException} names the problem and the field, without echoing the input. */
    public static <T> T decode(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw describe(e);
        }
    }

    public static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw e instanceof JsonProcessingException jpe ? describe(jpe)
                    : new CodecException("unreadable input", null, e);
        }
    }

    public static JsonNode tree(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw describe(e);
        }
    }

    /** Converts between shapes through the codec's rules, for example a MongoDB Document into an Alert. */
    public static <T> T convert(Object value, Class<T> type) {
        try {
            return MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new CodecException("cannot convert " + typeName(value) + " to " + type.getSimpleName(), null, e);
        }
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static CodecException describe(JsonProcessingException e) {
        String field = e instanceof JsonMappingException jme ? JsonErrors.pathOf(jme) : null;
        String message;
        if (e instanceof InvalidTypeIdException) {
            message = "unknown type";
        } else if (e instanceof InvalidFormatException ife) {
            message = "invalid value for " + (field == null ? "a field" : "'" + field + "'")
                    + (ife.getTargetType() != null && ife.getTargetType().isEnum()
                    ? ", expected one of " + JsonErrors.enumValues(ife.getTargetType()) : "");
        } else if (e instanceof MismatchedInputException) {
            message = field == null ? "unexpected JSON shape" : "wrong type or missing value for '" + field + "'";
        } else if (e instanceof JsonMappingException) {
            message = field == null ? "invalid JSON content" : "invalid value for '" + field + "'";
        } else {
            message = "malformed JSON";
        }
        return new CodecException(message, field, e);
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    /** Enums travel as lower-case names, whatever their Java spelling. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class LowerCaseEnumSerializer extends StdSerializer<Enum> {
        LowerCaseEnumSerializer() {
            super(Enum.class);
        }

        @Override
        public void serialize(Enum value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.name().toLowerCase(Locale.ROOT));
        }
    }
}
