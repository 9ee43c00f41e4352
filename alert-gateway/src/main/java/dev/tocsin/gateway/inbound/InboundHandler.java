package dev.tocsin.gateway.inbound;

import dev.tocsin.gateway.ack.AlertActions;
import dev.tocsin.gateway.ack.AlertLifecycleActions;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.ratelimit.RateLimitGuard;
import dev.tocsin.gateway.recovery.RecoveryOnConnect;
import dev.tocsin.gateway.recovery.SyncService;
import dev.tocsin.gateway.session.MessageSender;
import dev.tocsin.gateway.session.Session;
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
    private final AlertLifecycleActions lifecycle;
    private final SyncService syncs;
    private final RecoveryOnConnect recovery;

    InboundHandler(MessageSender sender, GatewayConfig config, RateLimitGuard rateLimit,
            SubscriptionRequests subscriptions, AlertActions actions, AlertLifecycleActions lifecycle, SyncService syncs,
            RecoveryOnConnect recovery) {
        this.lifecycle = lifecycle;
        this.syncs = syncs;
        this.recovery = recovery;
        this.sender = sender;
        this.config = config;
        this.rateLimit = rateLimit;
        this.subscriptions = subscriptions;
        this.actions = actions;
    }

    public void onText(WebSocketConnection connection, String text) {
        Session session = received(connection);
        if (session == null) {
            return;
        }
        try {
            handle(session, text);
        } finally {
            // A sync sent first is queued by now: the hold on connect may end and hand over to it.
            recovery.firstMessageServed(session);
        }
    }

    private void handle(Session session, String text) {
        if (Utf8.exceeds(text, config.maxFrameBytes())) {
            if (rateLimit.admit(session, null)) {
                reject(session, ErrorCode.FRAME_TOO_LARGE,
                        "message larger than " + config.maxFrameBytes() + " bytes", null);
            }
            return;
        }
        DecodedClientMessage decoded = ClientMessageDecoder.decode(text);
        if (decoded instanceof DecodedClientMessage.Rejected rejected) {
            if (rateLimit.admit(session, rejected.ref())) {
                reject(session, rejected.code(), rejected.message(), rejected.ref());
            }
        } else if (decoded instanceof DecodedClientMessage.Accepted accepted) {
            ClientMessage message = accepted.message();
            String ref = message.id() != null && message.id().length() <= MAX_ID_LENGTH ? message.id() : null;
            if (rateLimit.admit(session, ref)) {
                serve(session, message);
            }
        }
    }

    public void onBinary(WebSocketConnection connection, Buffer data) {
        Session session = received(connection);
        if (session != null && rateLimit.admit(session, null)) {
            reject(session, ErrorCode.INVALID_MESSAGE, "binary frames are not supported; send JSON text", null);
        }
    }

    /**
     * A WebSocket ping or pong control frame (the pong usually answers the heartbeat's ping frame): proves the client
     * alive, needs no answer from here (the transport answers a ping itself) and does not count against the limit.
     */
    public void onControlFrame(WebSocketConnection connection) {
        Session session = Session.of(connection);
        if (session != null) {
            session.heard();
        }
    }

    /**
     * A callback or the transport failed: tell the client without details and keep the connection. A message over
     * the transport's hard cap arrives here (Vert.x drops the rest of it and reports an exception instead of a
     * message); it gets the same {@code frame_too_large} answer as one over the gateway's own limit.
     */
    public void onFailure(WebSocketConnection connection, Throwable failure) {
        Session session = Session.of(connection);
        if (isMessageOverTransportCap(failure)) {
            Log.debugf("Dropped a message over the transport cap on connection %s", connection.id());
            if (session != null && connection.isOpen()) {
                session.heard();
                session.stats().received();
                if (rateLimit.admit(session, null)) {
                    reject(session, ErrorCode.FRAME_TOO_LARGE,
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
        if (session != null) {
            reject(session, ErrorCode.INTERNAL, "the server could not process the message", null);
        }
    }

    /** Vert.x 4.5 (WebSocketImplBase) reports an over-long message as this IllegalStateException. */
    static boolean isMessageOverTransportCap(Throwable failure) {
        return failure instanceof IllegalStateException && failure.getMessage() != null
                && failure.getMessage().contains("to overflow max message size");
    }

    private static Session received(WebSocketConnection connection) {
        Session session = Session.of(connection);
        if (session == null) {
            Log.debugf("Ignoring a message on connection %s without session", connection.id());
            return null;
        }
        session.heard();
        session.stats().received();
        return session;
    }

    private void serve(Session session, ClientMessage message) {
        if (message.id() != null && message.id().length() > MAX_ID_LENGTH) {
            reject(session, ErrorCode.INVALID_MESSAGE, "id: at most " + MAX_ID_LENGTH + " characters", null);
            return;
        }
        if (message instanceof ClientMessage.Ping ping) {
            sender.send(session, new ServerMessage.Pong(ping.id(), Instant.now()));
        } else if (message instanceof ClientMessage.Pong) {
            return; // the answer to our ping; being heard was all it had to do
        } else if (message instanceof ClientMessage.Subscribe subscribe) {
            sender.send(session, subscriptions.subscribe(session, subscribe));
        } else if (message instanceof ClientMessage.Unsubscribe unsubscribe) {
            sender.send(session, subscriptions.unsubscribe(session, unsubscribe));
        } else if (message instanceof ClientMessage.UpdateFilters update) {
            sender.send(session, subscriptions.updateFilters(session, update));
        } else if (message instanceof ClientMessage.Ack ack) {
            actions.ack(session, ack);
        } else if (message instanceof ClientMessage.Clear clear) {
            actions.clear(session, clear);
        } else if (message instanceof ClientMessage.Resolve resolve) {
            lifecycle.resolve(session, resolve);
        } else if (message instanceof ClientMessage.Unack unack) {
            lifecycle.unack(session, unack);
        } else if (message instanceof ClientMessage.Assign assign) {
            lifecycle.assign(session, assign);
        } else if (message instanceof ClientMessage.Note note) {
            lifecycle.note(session, note);
        } else if (message instanceof ClientMessage.Sync sync) {
            syncs.request(session, sync);
        } else if (message instanceof ClientMessage.GetStats stats) {
            sender.send(session, session.stats().snapshot(stats.id()));
        } else {
            reject(session, ErrorCode.UNKNOWN_TYPE, "message type not served", message.id());
        }
    }

    private void reject(Session session, ErrorCode code, String message, String ref) {
        Log.debugf("Rejected a message on connection %s: %s", session.connectionId(), code);
        sender.send(session, new ServerMessage.Error(code, message, ref));
    }
}
