package dev.tocsin.protocol.json;

import com.fasterxml.jackson.databind.JsonMappingException;

import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Locale;

/**
 * How a JSON reading problem is worded, the same in every service: the path of the field at fault, an enum's
 * accepted values and what a type expects. Never the input itself (it may hold anything).
 */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** The path of the field at fault, {@code location.lat} or {@code areas[2].radius}; null when there is none. */
    public static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    /** An enum's values as they travel: {@code critical, high, medium, low, info}. */
    public static String enumValues(Class<?> enumType) {
        StringBuilder values = new StringBuilder();
        for (Object constant : enumType.getEnumConstants()) {
            if (!values.isEmpty()) {
                values.append(", ");
            }
            values.append(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
        }
        return values.toString();
    }

    /** What a value of this type looks like in JSON: {@code a number}, {@code one of critical, high, ...}. */
    public static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + enumValues(type);
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 instant";
        }
        return "an object";
    }
}
