package dev.tocsin.gateway.inbound;

import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.ErrorCode;

/** The outcome of reading one client frame: a message to serve, or the error to answer with. */
public sealed interface DecodedClientMessage {

    record Accepted(ClientMessage message) implements DecodedClientMessage {
    }

    /**
     * @param code    the error code to send
     * @param message safe for the client: names the problem and field, never echoes the input
     * @param ref     the request's {@code id} when it could be read, else null
     */
    record Rejected(ErrorCode code, String message, String ref) implements DecodedClientMessage {
    }
}
