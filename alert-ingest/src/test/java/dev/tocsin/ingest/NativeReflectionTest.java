package dev.tocsin.ingest;

import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.problem.Problem;
import dev.tocsin.protocol.quarkus.testing.JsonReflectionScan;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything alert-ingest JSON-encodes or -decodes by reflection (REST bodies, problem bodies, what goes through the
 * codec) must be registered for reflection, or only a native executable fails, at run time. The rules of what counts
 * are in {@link JsonReflectionScan}; alert-protocol's types are registered once by {@code ProtocolReflection}, this
 * service's own with {@code @RegisterForReflection} on each type. The console's config.json is a Vert.x
 * {@code JsonObject} and needs nothing.
 */
class NativeReflectionTest {

    @Test
    void everyTypeEncodedByReflectionIsRegistered() throws Exception {
        JsonReflectionScan scan = JsonReflectionScan.of(Problem.class);

        // the scan sees the problem bodies, which no REST signature names (Problem.toResponse encodes itself)
        assertTrue(scan.required().containsKey(Problem.class.getName()), () -> "scan found " + scan.required());
        assertTrue(scan.required().containsKey(FieldError.class.getName()), () -> "scan found " + scan.required());
        assertEquals(Map.of(), scan.unregistered(),
                "annotate these types with @RegisterForReflection (type: where it is encoded or decoded)");
    }
}
