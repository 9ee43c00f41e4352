package dev.tocsin.gateway.inbound;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.delivery.MessageSender;
import dev.tocsin.gateway.session.Subscriber;
import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.ErrorCode;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Serves what a client sends: checks the size, decodes, and answers. Every problem is answered with an
 * {@code error} frame and the connection stays open.
 */
@ApplicationScoped
public class InboundHandler {

    private final MessageSender sender;
    private final GatewayConfig config;

    InboundHandler(MessageSender sender, GatewayConfig config) {
        this.sender = sender;
        this.config = config;
    }

    public void onText(WebSocketConnection connection, String text) {
        Subscriber subscriber = Subscriber.of(connection);
        if (subscriber == null) {
            Log.debugf("Ignoring a message on connection %s without session", connection.id());
            return;
        }
        if (Utf8.exceeds(text, config.maxFrameBytes())) {
            reject(subscriber, ErrorCode.FRAME_TOO_LARGE,
                    "message larger than " + config.maxFrameBytes() + " bytes", null);
            return;
        }
        DecodedClientMessage decoded = ClientMessageDecoder.decode(text);
        if (decoded instanceof DecodedClientMessage.Rejected rejected) {
            reject(subscriber, rejected.code(), rejected.message(), rejected.ref());
        } else if (decoded instanceof DecodedClientMessage.Accepted accepted) {
            serve(subscriber, accepted.message());
        }
    }

    public void onBinary(WebSocketConnection connection, Buffer data) {
        Subscriber subscriber = Subscriber.of(connection);
        if (subscriber != null) {
            reject(subscriber, ErrorCode.INVALID_MESSAGE, "binary frames are not supported; send JSON text", null);
        }
    }

    /**
     * A callback or the transport failed: tell the client without details and keep the connection. A message over
     * the transport's hard cap arrives here (Vert.x drops the rest of it and reports an exception instead of a
     * message); it gets the same {@code frame_too_large} answer as one over the gateway's own limit.
     */
    public void onFailure(WebSocketConnection connection, Throwable failure) {
        Subscriber subscriber = Subscriber.of(connection);
        if (isMessageOverTransportCap(failure)) {
            Log.debugf("Dropped a message over the transport cap on connection %s", connection.id());
            if (subscriber != null && connection.isOpen()) {
                reject(subscriber, ErrorCode.FRAME_TOO_LARGE,
                        "message larger than " + config.maxFrameBytes() + " bytes", null);
            }
            return;
        }
        if (failure instanceof HttpClosedException || connection.isClosed()) {
            // The client went away without a close handshake: routine, not a server problem.
            Log.debugf("Connection %s closed abruptly: %s", connection.id(), failure.toString());
            return;
        }
        Log.warnf("Failure on connection %s: %s", connection.id(), failure.toString());
        if (subscriber != null) {
            reject(subscriber, ErrorCode.INTERNAL, "the server could not process the message", null);
        }
    }

    /** Vert.x 4.5 (WebSocketImplBase) reports an over-long message as this IllegalStateException. */
    static boolean isMessageOverTransportCap(Throwable failure) {
        return failure instanceof IllegalStateException && failure.getMessage() != null
                && failure.getMessage().contains("to overflow max message size");
    }

    private void serve(Subscriber subscriber, ClientMessage message) {
        // New request types (subscribe, ack, sync) get their own handler here.
        if (message instanceof ClientMessage.Ping ping) {
            sender.send(subscriber, new ServerMessage.Pong(ping.id(), Instant.now()));
        } else {
            reject(subscriber, ErrorCode.UNKNOWN_TYPE, "message type not served", message.id());
        }
    }

    private void reject(Subscriber subscriber, ErrorCode code, String message, String ref) {
        Log.debugf("Rejected a message on connection %s: %s", subscriber.connectionId(), code);
        sender.send(subscriber, new ServerMessage.Error(code, message, ref));
    }
}
