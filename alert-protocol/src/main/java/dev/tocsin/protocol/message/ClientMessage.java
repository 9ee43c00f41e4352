package dev.tocsin.protocol.message;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Messages a WebSocket client sends. Every request may carry an {@code id}; answers and errors echo it as
 * {@code ref}. See {@code docs/protocol.md}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientMessage.Ping.class, name = "ping"),
})
public sealed interface ClientMessage {

    /** The client's request id, echoed as {@code ref}; may be null. */
    String id();

    /** Liveness check; answered by {@code pong}. */
    record Ping(String id) implements ClientMessage {
    }
}
