package dev.tocsin.gateway.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.GatewayTestSupport;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class AlertsEndpointMessagesTest extends GatewayTestSupport {

    private TestClient client;

    @BeforeEach
    void connect() {
        client = TestClient.connect(wsUri(), DevJwt.shared().token("alice", "viewer"));
        client.established();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void pingIsAnsweredWithPong() {
        client.send("{\"type\":\"ping\",\"id\":\"p-1\"}");
        JsonNode pong = client.next("pong");
        assertEquals("p-1", pong.path("ref").asText());
        assertEquals(1, pong.path("v").asInt());
        assertTrue(pong.hasNonNull("serverTime"));
    }

    @Test
    void pingWithoutIdIsAnsweredWithoutRef() {
        client.send("{\"type\":\"ping\"}");
        assertFalse(client.next("pong").has("ref"));
    }

    @Test
    void malformedJsonGetsErrorAndConnectionStaysOpen() {
        client.send("{\"type\":\"ping\",");
        assertError(client.next("error"), "malformed_json", null);
        client.send("not json at all");
        assertError(client.next("error"), "malformed_json", null);
        client.assertPingPong("after-malformed");
    }

    @Test
    void unknownOrMissingTypeGetsUnknownType() {
        client.send("{\"type\":\"launch_missiles\",\"id\":\"u-1\"}");
        assertError(client.next("error"), "unknown_type", "u-1");
        client.send("{\"id\":\"u-2\"}");
        assertError(client.next("error"), "unknown_type", "u-2");
        client.assertPingPong("after-unknown");
    }

    @Test
    void badFieldsGetInvalidMessage() {
        client.send("{\"type\":\"ping\",\"id\":{\"nested\":true}}");
        JsonNode error = client.next("error");
        assertEquals("invalid_message", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("id"), error::toString);
        client.send("[1,2,3]");
        assertEquals("invalid_message", client.next("error").path("code").asText());
        client.send("null");
        assertEquals("invalid_message", client.next("error").path("code").asText());
        client.assertPingPong("after-invalid");
    }

    @Test
    void requestIdLongerThan64CharactersIsInvalid() {
        client.send("{\"type\":\"ping\",\"id\":\"" + "i".repeat(65) + "\"}");
        JsonNode error = client.next("error");
        assertEquals("invalid_message", error.path("code").asText());
        assertTrue(error.path("message").asText().startsWith("id:"), error::toString);
        client.assertPingPong("after-long-id");
    }

    @Test
    void wrongTypedFieldsOfEachRequestGetInvalidMessage() {
        String[] requests = {
                "{\"type\":\"unsubscribe\",\"groups\":\"everyone\"}",
                "{\"type\":\"update_filters\",\"filters\":[1]}",
                "{\"type\":\"clear\",\"priorities\":\"low\"}",
                "{\"type\":\"clear\",\"olderThan\":[true]}",
                "{\"type\":\"ack\",\"alertId\":{}}"};
        for (String request : requests) {
            client.send(request);
            assertEquals("invalid_message", client.next("error").path("code").asText(), request);
        }
        client.assertPingPong("after-wrong-types");
    }

    @Test
    void binaryFrameGetsInvalidMessage() {
        client.sendBinary(new byte[] {1, 2, 3});
        assertEquals("invalid_message", client.next("error").path("code").asText());
        client.assertPingPong("after-binary");
    }

    @Test
    void frameAboveLimitGetsFrameTooLargeAndConnectionStaysOpen() {
        String big = "{\"type\":\"ping\",\"id\":\"" + "x".repeat(70_000) + "\"}";
        client.send(big);
        JsonNode error = client.next("error");
        assertEquals("frame_too_large", error.path("code").asText());
        client.assertPingPong("after-large");
    }

    @Test
    void multiByteCharactersCountAsBytes() {
        // 30,000 chars of 3 bytes each: below the limit in chars, above it in UTF-8 bytes.
        String big = "{\"type\":\"ping\",\"id\":\"" + "\u20ac".repeat(30_000) + "\"}";
        client.send(big);
        assertEquals("frame_too_large", client.next("error").path("code").asText());
        client.assertPingPong("after-multibyte");
    }

    @Test
    void messageAboveTransportCapGetsFrameTooLargeAndConnectionStaysOpen() {
        // Above quarkus.websockets-next.server.max-message-size: Vert.x drops it before the endpoint sees it.
        client.send("{\"type\":\"ping\",\"id\":\"" + "y".repeat(300_000) + "\"}");
        assertEquals("frame_too_large", client.next("error").path("code").asText());
        client.assertPingPong("after-over-cap");
    }

    private static void assertError(JsonNode error, String code, String ref) {
        assertEquals(code, error.path("code").asText(), error::toString);
        assertFalse(error.path("message").asText().isBlank());
        if (ref == null) {
            assertFalse(error.has("ref"), error::toString);
        } else {
            assertEquals(ref, error.path("ref").asText());
        }
    }
}
