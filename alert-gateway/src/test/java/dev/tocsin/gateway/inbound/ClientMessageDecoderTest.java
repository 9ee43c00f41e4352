package dev.tocsin.gateway.inbound;

import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientMessageDecoderTest {

    @Test
    void decodesPing() {
        DecodedClientMessage.Accepted accepted = assertInstanceOf(DecodedClientMessage.Accepted.class,
                ClientMessageDecoder.decode("{\"type\":\"ping\",\"id\":\"1\"}"));
        assertEquals(new ClientMessage.Ping("1"), accepted.message());
    }

    @Test
    void typeIsCaseSensitiveAndUnknownFieldsAreIgnored() {
        assertInstanceOf(DecodedClientMessage.Accepted.class,
                ClientMessageDecoder.decode("{\"type\":\"ping\",\"extra\":[1,2]}"));
    }

    @Test
    void classifiesFailures() {
        assertRejected("{\"type\":", ErrorCode.MALFORMED_JSON, null);
        assertRejected("   ", ErrorCode.MALFORMED_JSON, null);
        assertRejected("{\"type\":\"nope\",\"id\":\"r1\"}", ErrorCode.UNKNOWN_TYPE, "r1");
        assertRejected("{\"id\":\"r2\"}", ErrorCode.UNKNOWN_TYPE, "r2");
        assertRejected("{\"type\":\"ping\",\"id\":[1]}", ErrorCode.INVALID_MESSAGE, null);
        assertRejected("[]", ErrorCode.INVALID_MESSAGE, null);
        assertRejected("null", ErrorCode.INVALID_MESSAGE, null);
        assertRejected("42", ErrorCode.INVALID_MESSAGE, null);
    }

    @Test
    void neverEchoesInput() {
        DecodedClientMessage.Rejected rejected = assertInstanceOf(DecodedClientMessage.Rejected.class,
                ClientMessageDecoder.decode("{\"type\":\"ping\",\"id\":{\"password\":\"hunter2\"}}"));
        assertFalse(rejected.message().contains("hunter2"));
    }

    @Test
    void longIdsAreNotEchoed() {
        String id = "x".repeat(ClientMessageDecoder.MAX_REF_LENGTH + 1);
        assertRejected("{\"type\":\"nope\",\"id\":\"" + id + "\"}", ErrorCode.UNKNOWN_TYPE, null);
    }

    private static void assertRejected(String text, ErrorCode code, String ref) {
        DecodedClientMessage.Rejected rejected = assertInstanceOf(DecodedClientMessage.Rejected.class,
                ClientMessageDecoder.decode(text), text);
        assertEquals(code, rejected.code(), text);
        assertFalse(rejected.message().isBlank());
        if (ref == null) {
            assertNull(rejected.ref(), text);
        } else {
            assertEquals(ref, rejected.ref(), text);
        }
    }
}
