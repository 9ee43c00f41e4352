package dev.tocsin.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serializers that isolate each member of an object, map or collection: a member whose value cannot be
 * serialized is logged and left out, and the rest of the document is written. This is what keeps one odd
 * metadata value from failing a whole message (and, in the seeds, from closing a WebSocket).
 *
 * <p>Each member that could fail is written into a {@link TokenBuffer} first and copied to the real generator
 * only when it completed, so the output is never left half-written. Members whose type cannot fail (strings,
 * numbers, booleans, enums, java.time values) are written directly.
 */
final class SkippingSerializers {

    private static final Logger LOG = Logger.getLogger(SkippingSerializers.class);

    private SkippingSerializers() {
    }

    static boolean cannotFail(Class<?> type) {
        return type.isPrimitive() || type == String.class || Number.class.isAssignableFrom(type)
                || type == Boolean.class || type == Character.class || type.isEnum()
                || Temporal.class.isAssignableFrom(type);
    }

    static void skipped(String member, Object value, Exception e) {
        LOG.warnf("JSON: left out member '%s' (%s): %s", member,
                value == null ? "null" : value.getClass().getName(), e.getClass().getSimpleName());
    }

    /** Wraps each bean/record property that could fail. */
    static final class Modifier extends BeanSerializerModifier {
        @Override
        public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription beanDesc,
                List<BeanPropertyWriter> beanProperties) {
            List<BeanPropertyWriter> out = new ArrayList<>(beanProperties.size());
            for (BeanPropertyWriter writer : beanProperties) {
                out.add(cannotFail(writer.getType().getRawClass()) ? writer : new SkippingPropertyWriter(writer));
            }
            return out;
        }
    }

    static final class SkippingPropertyWriter extends BeanPropertyWriter {
        SkippingPropertyWriter(BeanPropertyWriter base) {
            super(base);
        }

        @Override
        public void serializeAsField(Object bean, JsonGenerator gen, SerializerProvider prov) throws Exception {
            TokenBuffer buffer = new TokenBuffer(gen.getCodec(), false);
            buffer.writeStartObject();
            try {
                super.serializeAsField(bean, buffer, prov);
            } catch (Exception e) {
                skipped(getName(), null, e);
                return;
            }
            buffer.writeEndObject();
            copyFields(buffer, gen);
        }
    }

    /** Every Map (including org.bson.Document and BsonDocument) goes through here. */
    static final class SkippingMapSerializer extends StdSerializer<Map<?, ?>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        SkippingMapSerializer() {
            super((Class) Map.class);
        }

        @Override
        public void serialize(Map<?, ?> map, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Set<Object> path = enter(map, provider);
            gen.writeStartObject(map);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                Object value = entry.getValue();
                if (value == null) {
                    gen.writeNullField(key);
                    continue;
                }
                TokenBuffer buffer = bufferValue(key, value, gen, provider);
                if (buffer != null) {
                    gen.writeFieldName(key);
                    buffer.serialize(gen);
                }
            }
            gen.writeEndObject();
            path.remove(map);
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Map<?, ?> value) {
            return value == null || value.isEmpty();
        }
    }

    /** Every Collection (including BsonArray): an element that cannot be serialized is left out. */
    static final class SkippingCollectionSerializer extends StdSerializer<Collection<?>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        SkippingCollectionSerializer() {
            super((Class) Collection.class);
        }

        @Override
        public void serialize(Collection<?> values, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Set<Object> path = enter(values, provider);
            gen.writeStartArray(values);
            int index = 0;
            for (Object value : values) {
                if (value == null) {
                    gen.writeNull();
                } else {
                    TokenBuffer buffer = bufferValue("[" + index + "]", value, gen, provider);
                    if (buffer != null) {
                        buffer.serialize(gen);
                    }
                }
                index++;
            }
            gen.writeEndArray();
            path.remove(values);
        }
    }

    private static final Object PATH_KEY = new Object();

    /**
     * Marks a container as being written; a container that contains itself fails here (and is left out by its
     * parent) instead of recursing until the nesting limit.
     */
    @SuppressWarnings("unchecked")
    private static Set<Object> enter(Object container, SerializerProvider provider) throws IOException {
        Set<Object> path = (Set<Object>) provider.getAttribute(PATH_KEY);
        if (path == null) {
            path = Collections.newSetFromMap(new IdentityHashMap<>());
            provider.setAttribute(PATH_KEY, path);
        }
        if (!path.add(container)) {
            throw new IOException("value contains itself");
        }
        return path;
    }

    /** Serializes one value into a buffer; null (after logging) when it cannot be serialized. */
    private static TokenBuffer bufferValue(String member, Object value, JsonGenerator gen, SerializerProvider provider) {
        TokenBuffer buffer = new TokenBuffer(gen.getCodec(), false);
        try {
            JsonSerializer<Object> serializer = provider.findTypedValueSerializer(value.getClass(), true, null);
            serializer.serialize(value, buffer, provider);
            return buffer;
        } catch (Exception | StackOverflowError e) {
            skipped(member, value, e instanceof Exception ex ? ex : new IllegalStateException("too deep"));
            return null;
        }
    }

    /** Copies the fields of the one object held in {@code buffer} into the object being written to {@code gen}. */
    private static void copyFields(TokenBuffer buffer, JsonGenerator gen) throws IOException {
        try (JsonParser parser = buffer.asParser()) {
            parser.nextToken(); // START_OBJECT
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                gen.copyCurrentStructure(parser);
            }
        }
    }

}
