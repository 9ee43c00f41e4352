package dev.tocsin.relay;

import dev.tocsin.protocol.quarkus.testing.JsonReflectionScan;
import dev.tocsin.relay.consume.EventHandler;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * notification-relay JSON-encodes by reflection only alert-protocol's types (events, alerts, ingest commands; the
 * FCM and Telegram bodies are maps and trees), which {@code ProtocolReflection} registers. This keeps it so: a
 * record of its own that reaches the codec or a REST client must be registered too. Rules: {@link JsonReflectionScan}.
 */
class NativeReflectionTest {

    @Test
    void onlyRegisteredTypesAreEncodedByReflection() throws Exception {
        JsonReflectionScan scan = JsonReflectionScan.of(EventHandler.class);

        assertTrue(scan.required().containsKey("dev.tocsin.protocol.event.AlertEvent"),
                () -> "the decoded event was not found; scan found " + scan.required());
        assertEquals(Map.of(), scan.unregistered(), "annotate with @RegisterForReflection (type: where it is used)");
    }
}
