package dev.tocsin.protocol.json;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.tocsin.protocol.alert.Priority;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JsonErrorsTest {

    record Point(double lat) {
    }

    record Shape(List<Point> points) {
    }

    @Test
    void thePathNamesFieldsAndIndexes() {
        JsonMappingException e = assertThrowsMapping("{\"points\":[{\"lat\":1},{\"lat\":\"north\"}]}");
        assertEquals("points[1].lat", JsonErrors.pathOf(e));
    }

    @Test
    void noPathWhenTheProblemIsAtTheTop() {
        JsonMappingException e = assertThrowsMapping("[1]");
        assertNull(JsonErrors.pathOf(e));
    }

    @Test
    void typesAreDescribedAsJsonSeesThem() {
        assertEquals("one of critical, high, medium, low, info", JsonErrors.expected(Priority.class));
        assertEquals("a number", JsonErrors.expected(int.class));
        assertEquals("true or false", JsonErrors.expected(Boolean.class));
        assertEquals("an array", JsonErrors.expected(List.class));
        assertEquals("an ISO-8601 instant", JsonErrors.expected(Instant.class));
        assertEquals("an object", JsonErrors.expected(Point.class));
    }

    private static JsonMappingException assertThrowsMapping(String json) {
        try {
            Json.mapper().readValue(json, Shape.class);
        } catch (JsonMappingException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a mapping problem, got " + e);
        }
        throw new AssertionError("expected a mapping problem for " + json);
    }
}
