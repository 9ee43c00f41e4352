package dev.tocsin.ingest.alert.validation;

import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.json.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Bounds on free-form metadata. Metadata travels in every event to every connected client, so its size is capped
 * where it enters the system: encoded size (UTF-8 JSON, as the codec writes it), number of keys over all nested
 * objects, nesting depth and key shape (no {@code $} prefix, no {@code .}, no NUL: MongoDB field-name rules).
 */
public record MetadataLimits(int maxBytes, int maxKeys, int maxDepth, int maxKeyLength) {

    public static MetadataLimits from(IngestConfig.MetadataSettings settings) {
        return new MetadataLimits(settings.maxBytes(), settings.maxKeys(), settings.maxDepth(), settings.maxKeyLength());
    }

    /** The broken limits, as messages for the client; empty when the metadata is acceptable. */
    public List<String> check(Map<String, Object> metadata) {
        List<String> problems = new ArrayList<>();
        Counter counter = new Counter();
        walk(metadata, 1, counter);
        if (counter.tooDeep) {
            problems.add("must not be nested deeper than " + maxDepth + " levels");
        }
        if (counter.keys > maxKeys) {
            problems.add("must not have more than " + maxKeys + " keys (has " + counter.keys + ")");
        }
        if (counter.badKey != null) {
            problems.add(counter.badKey);
        }
        // Only encode when the shape is sane; an absurdly deep value must not be encoded at all.
        if (!counter.tooDeep) {
            int bytes = Json.encodeBytes(metadata).length;
            if (bytes > maxBytes) {
                problems.add("must not exceed " + maxBytes + " bytes as JSON (has " + bytes + ")");
            }
        }
        return problems;
    }

    private void walk(Object value, int depth, Counter counter) {
        if (counter.tooDeep) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            if (depth > maxDepth) {
                counter.tooDeep = true;
                return;
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                counter.keys++;
                checkKey(String.valueOf(entry.getKey()), counter);
                walk(entry.getValue(), depth + 1, counter);
            }
        } else if (value instanceof Collection<?> list) {
            if (depth > maxDepth) {
                counter.tooDeep = true;
                return;
            }
            for (Object element : list) {
                walk(element, depth + 1, counter);
            }
        }
    }

    private void checkKey(String key, Counter counter) {
        if (counter.badKey != null) {
            return;
        }
        if (key.isEmpty()) {
            counter.badKey = "keys must not be empty";
        } else if (key.length() > maxKeyLength) {
            counter.badKey = "keys must not be longer than " + maxKeyLength + " characters";
        } else if (key.startsWith("$") || key.indexOf('.') >= 0 || key.indexOf('\0') >= 0) {
            counter.badKey = "keys must not start with '$' or contain '.' or NUL";
        }
    }

    private static final class Counter {
        int keys;
        boolean tooDeep;
        String badKey;
    }
}
