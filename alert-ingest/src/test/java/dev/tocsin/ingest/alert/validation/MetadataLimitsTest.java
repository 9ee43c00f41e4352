package dev.tocsin.ingest.alert.validation;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataLimitsTest {

    private final MetadataLimits limits = new MetadataLimits(1024, 8, 3, 16);

    @Test
    void acceptsSmallNestedMetadata() {
        assertEquals(List.of(), limits.check(Map.of("a", 1, "b", Map.of("c", List.of(1, 2)), "d", "text")));
    }

    @Test
    void refusesOversizeEncoding() {
        List<String> problems = limits.check(Map.of("blob", "x".repeat(1100)));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("1024 bytes"), problems.toString());
    }

    @Test
    void countsKeysOverAllNestedObjects() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            map.put("k" + i, Map.of("x", i));
        }
        List<String> problems = limits.check(map); // 5 + 5 = 10 keys > 8
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("more than 8 keys (has 10)"), problems.toString());
    }

    @Test
    void refusesDeepNestingWithoutEncodingIt() {
        assertEquals(List.of(), limits.check(Map.of("a", Map.of("b", List.of(1)))));
        List<String> problems = limits.check(Map.of("a", Map.of("b", Map.of("c", Map.of("d", 1)))));
        assertEquals(List.of("must not be nested deeper than 3 levels"), problems);
        // Arrays count as a level too.
        assertEquals(1, limits.check(Map.of("a", List.of(List.of(List.of(1))))).size());
    }

    @Test
    void refusesKeysMongoDbOrClientsWouldMisread() {
        assertEquals(1, limits.check(Map.of("$where", 1)).size());
        assertEquals(1, limits.check(Map.of("a.b", 1)).size());
        assertEquals(1, limits.check(Map.of("", 1)).size());
        assertEquals(1, limits.check(Map.of("k".repeat(17), 1)).size());
    }
}
