package dev.tocsin.gateway.inbound;

import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import dev.tocsin.protocol.json.CodecException;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.ErrorCode;

/**
 * Reads a client text frame into a {@link ClientMessage} with the shared codec and sorts failures into the
 * protocol's error codes: not JSON → {@code malformed_json}; no or unknown {@code type} → {@code unknown_type};
 * a known type with bad fields (or JSON that is not an object) → {@code invalid_message}.
 */
public final class ClientMessageDecoder {

    /** Longest request id echoed back as {@code ref}; longer ones are not echoed. */
    static final int MAX_REF_LENGTH = 128;

    private ClientMessageDecoder() {
    }

    public static DecodedClientMessage decode(String text) {
        if (text == null || text.isBlank()) {
            return new DecodedClientMessage.Rejected(ErrorCode.MALFORMED_JSON, "empty message", null);
        }
        ClientMessage message;
        try {
            message = Json.decode(text, ClientMessage.class);
        } catch (CodecException e) {
            return reject(e, text);
        }
        if (message == null) {
            return new DecodedClientMessage.Rejected(ErrorCode.INVALID_MESSAGE, "expected a JSON object", null);
        }
        return new DecodedClientMessage.Accepted(message);
    }

    private static DecodedClientMessage reject(CodecException e, String text) {
        Throwable cause = e.getCause();
        if (cause instanceof InvalidTypeIdException) {
            // Jackson also reports a scalar or array as "missing type id": that is a shape problem, not a type one.
            JsonNode node = treeOf(text);
            if (node == null || !node.isObject()) {
                return new DecodedClientMessage.Rejected(ErrorCode.INVALID_MESSAGE, "expected a JSON object", null);
            }
            return new DecodedClientMessage.Rejected(ErrorCode.UNKNOWN_TYPE, "missing or unknown message type",
                    refOf(node));
        }
        if (cause instanceof DatabindException) {
            // Valid JSON of the wrong shape: the mapping failed, not the parsing.
            return new DecodedClientMessage.Rejected(ErrorCode.INVALID_MESSAGE, e.getMessage(), refOf(treeOf(text)));
        }
        return new DecodedClientMessage.Rejected(ErrorCode.MALFORMED_JSON, "malformed JSON", null);
    }

    /** The request id of a frame that parsed as JSON but was rejected, so the client can match the error. */
    private static String refOf(JsonNode node) {
        JsonNode id = node == null || !node.isObject() ? null : node.get("id");
        if (id != null && id.isTextual() && id.textValue().length() <= MAX_REF_LENGTH) {
            return id.textValue();
        }
        return null;
    }

    /** The frame as a JSON tree (only on the error path), or null when it is not readable as one. */
    private static JsonNode treeOf(String text) {
        try {
            return Json.tree(text);
        } catch (CodecException e) {
            return null;
        }
    }
}
