package dev.tocsin.gateway.inbound;

import dev.tocsin.gateway.ack.AlertActions;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.delivery.MessageSender;
import dev.tocsin.gateway.ratelimit.RateLimitGuard;
import dev.tocsin.gateway.recovery.SyncService;
import dev.tocsin.gateway.session.Subscriber;
import dev.tocsin.gateway.subscription.SubscriptionRequests;
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
 * Serves what a client sends: marks the connection alive, checks size and rate limit, decodes, and dispatches to the
 * feature that answers. Every problem is answered with an {@code error} frame and the connection stays open.
 */
@ApplicationScoped
public class InboundHandler {

    /** Longest request id the protocol allows. */
    static final int MAX_ID_LENGTH = 64;

    private final MessageSender sender;
    private final GatewayConfig config;
    private final RateLimitGuard rateLimit;
    private final SubscriptionRequests subscriptions;
    private final AlertActions actions;
    private final SyncService syncs;

    InboundHandler(MessageSender sender, GatewayConfig config, RateLimitGuard rateLimit,
            SubscriptionRequests subscriptions, AlertActions actions, SyncService syncs) {
        this.syncs = syncs;
        this.sender = sender;
        this.config = config;
        this.rateLimit = rateLimit;
        this.subscriptions = subscriptions;
        this.actions = actions;
    }

    public void onText(WebSocketConnection connection, String text) {
        Subscriber subscriber = received(connection);
        if (subscriber == null) {
            return;
        }
        try {
            handle(subscriber, text);
        } finally {
            // A sync sent first is queued by now: the hold on connect may end and hand over to it.
            subscriber.firstMessageServed();
        }
    }

    private void handle(Subscriber subscriber, String text) {
        if (Utf8.exceeds(text, config.maxFrameBytes())) {
            if (rateLimit.admit(subscriber, null)) {
                reject(subscriber, ErrorCode.FRAME_TOO_LARGE,
                        "message larger than " + config.maxFrameBytes() + " bytes", null);
            }
            return;
        }
        DecodedClientMessage decoded = ClientMessageDecoder.decode(text);
        if (decoded instanceof DecodedClientMessage.Rejected rejected) {
            if (rateLimit.admit(subscriber, rejected.ref())) {
                reject(subscriber, rejected.code(), rejected.message(), rejected.ref());
            }
        } else if (decoded instanceof DecodedClientMessage.Accepted accepted) {
            ClientMessage message = accepted.message();
            String ref = message.id() != null && message.id().length() <= MAX_ID_LENGTH ? message.id() : null;
            if (rateLimit.admit(subscriber, ref)) {
                serve(subscriber, message);
            }
        }
    }

    public void onBinary(WebSocketConnection connection, Buffer data) {
        Subscriber subscriber = received(connection);
        if (subscriber != null && rateLimit.admit(subscriber, null)) {
            reject(subscriber, ErrorCode.INVALID_MESSAGE, "binary frames are not supported; send JSON text", null);
        }
    }

    /** A WebSocket pong frame: proves the client alive, needs no answer and does not count against the limit. */
    public void onPongFrame(WebSocketConnection connection) {
        Subscriber subscriber = Subscriber.of(connection);
        if (subscriber != null) {
            subscriber.heard();
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
                subscriber.heard();
                subscriber.stats().received();
                if (rateLimit.admit(subscriber, null)) {
                    reject(subscriber, ErrorCode.FRAME_TOO_LARGE,
                            "message larger than " + config.maxFrameBytes() + " bytes", null);
                }
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

    private static Subscriber received(WebSocketConnection connection) {
        Subscriber subscriber = Subscriber.of(connection);
        if (subscriber == null) {
            Log.debugf("Ignoring a message on connection %s without session", connection.id());
            return null;
        }
        subscriber.heard();
        subscriber.stats().received();
        return subscriber;
    }

    private void serve(Subscriber subscriber, ClientMessage message) {
        if (message.id() != null && message.id().length() > MAX_ID_LENGTH) {
            reject(subscriber, ErrorCode.INVALID_MESSAGE, "id: at most " + MAX_ID_LENGTH + " characters", null);
            return;
        }
        if (message instanceof ClientMessage.Ping ping) {
            sender.send(subscriber, new ServerMessage.Pong(ping.id(), Instant.now()));
        } else if (message instanceof ClientMessage.Pong) {
            return; // the answer to our ping; being heard was all it had to do
        } else if (message instanceof ClientMessage.Subscribe subscribe) {
            sender.send(subscriber, subscriptions.subscribe(subscriber, subscribe));
        } else if (message instanceof ClientMessage.Unsubscribe unsubscribe) {
            sender.send(subscriber, subscriptions.unsubscribe(subscriber, unsubscribe));
        } else if (message instanceof ClientMessage.UpdateFilters update) {
            sender.send(subscriber, subscriptions.updateFilters(subscriber, update));
        } else if (message instanceof ClientMessage.Ack ack) {
            actions.ack(subscriber, ack);
        } else if (message instanceof ClientMessage.Clear clear) {
            actions.clear(subscriber, clear);
        } else if (message instanceof ClientMessage.Sync sync) {
            syncs.request(subscriber, sync);
        } else if (message instanceof ClientMessage.GetStats stats) {
            sender.send(subscriber, subscriber.stats().snapshot(stats.id()));
        } else {
            reject(subscriber, ErrorCode.UNKNOWN_TYPE, "message type not served", message.id());
        }
    }

    private void reject(Subscriber subscriber, ErrorCode code, String message, String ref) {
        Log.debugf("Rejected a message on connection %s: %s", subscriber.connectionId(), code);
        sender.send(subscriber, new ServerMessage.Error(code, message, ref));
    }
}
