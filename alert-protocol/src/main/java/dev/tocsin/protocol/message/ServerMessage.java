package dev.tocsin.protocol.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.event.ChangeOp;

import java.time.Instant;
import java.util.Map;

/**
 * Messages the gateway sends to a WebSocket client. Every frame is a JSON object with {@code "type"} and
 * {@code "v"} (the protocol version). See {@code docs/protocol.md}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerMessage.ConnectionEstablished.class, name = "connection_established"),
        @JsonSubTypes.Type(value = ServerMessage.AlertMessage.class, name = "alert"),
        @JsonSubTypes.Type(value = ServerMessage.Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = ServerMessage.Error.class, name = "error"),
})
@JsonPropertyOrder({"type", "v"})
public sealed interface ServerMessage {

    int VERSION = 1;

    @JsonProperty("v")
    default int v() {
        return VERSION;
    }

    /**
     * First frame on every connection.
     *
     * @param heartbeatIntervalMs how often the server pings; a client that hears nothing for two intervals
     *                            should reconnect
     * @param limits              limits in force for this connection (for example {@code maxFrameBytes})
     */
    record ConnectionEstablished(String connectionId, String user, Instant serverTime, long heartbeatIntervalMs,
                                 Map<String, Object> limits) implements ServerMessage {
    }

    /** One alert change the client is entitled to, with its position in the event sequence. */
    record AlertMessage(String epoch, long seq, ChangeOp op, String alertId, Alert alert) implements ServerMessage {
    }

    /** Answer to a client {@code ping}; {@code ref} echoes the request's id. */
    record Pong(String ref, Instant serverTime) implements ServerMessage {
    }

    /**
     * A request could not be served. The connection stays open.
     *
     * @param code    stable, machine-readable (see {@link ErrorCode})
     * @param message for humans; never a stack trace
     * @param ref     the id of the offending request, when it had one
     */
    record Error(ErrorCode code, String message, String ref) implements ServerMessage {
    }
}
