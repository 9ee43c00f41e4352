package dev.tocsin.gateway;

import dev.tocsin.gateway.ack.ClearCriteria;
import dev.tocsin.protocol.quarkus.testing.JsonReflectionScan;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * alert-gateway's JSON by reflection, for native executables: the admin endpoint's answers, the body it sends to
 * alert-ingest's REST API, and the WebSocket frames (alert-protocol's, registered by {@code ProtocolReflection}).
 * Handshake refusals are written from a map and need nothing. Rules: {@link JsonReflectionScan}.
 */
class NativeReflectionTest {

    @Test
    void whatTheGatewayEncodesByReflectionIsRegistered() throws Exception {
        JsonReflectionScan scan = JsonReflectionScan.of(ClearCriteria.class);

        // the REST client's request body, and a frame type handed to the codec
        assertTrue(scan.required().containsKey(ClearCriteria.class.getName()), () -> "scan found " + scan.required());
        assertTrue(scan.required().containsKey("dev.tocsin.protocol.message.ServerMessage$Gap"),
                () -> "scan found " + scan.required());
        assertEquals(Map.of(), scan.unregistered(), "annotate with @RegisterForReflection (type: where it is used)");
    }
}
