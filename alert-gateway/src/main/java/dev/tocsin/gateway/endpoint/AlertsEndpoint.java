package dev.tocsin.gateway.endpoint;

import dev.tocsin.gateway.config.GatewayPaths;
import dev.tocsin.gateway.inbound.InboundHandler;
import dev.tocsin.gateway.lifecycle.ConnectionLifecycle;
import dev.tocsin.protocol.auth.Roles;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPingMessage;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.security.RolesAllowed;

/**
 * The alert WebSocket. The class-level {@code @RolesAllowed} secures the HTTP upgrade itself: no or an invalid
 * token gives 401, a token without one of the roles 403, before any WebSocket exists; bans and the connection limit
 * are checked by {@code AdmissionCheck}. Callbacks only delegate; they are non-blocking and run in order on the
 * connection's event loop.
 */
// CONCURRENT: the callbacks are synchronous and @NonBlocking, so they still run one after the other on the connection's
// event loop; SERIAL would only add a per-connection ConcurrencyLimiter (about 1 KiB of heap each).
@WebSocket(path = GatewayPaths.ALERTS, inboundProcessingMode = InboundProcessingMode.CONCURRENT)
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class AlertsEndpoint {

    private final ConnectionLifecycle lifecycle;
    private final InboundHandler inbound;

    AlertsEndpoint(ConnectionLifecycle lifecycle, InboundHandler inbound) {
        this.lifecycle = lifecycle;
        this.inbound = inbound;
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        lifecycle.open(connection);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(WebSocketConnection connection, String text) {
        inbound.onText(connection, text);
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(WebSocketConnection connection, Buffer data) {
        inbound.onBinary(connection, data);
    }

    @OnPingMessage
    @NonBlocking
    public void onPing(WebSocketConnection connection, Buffer data) {
        inbound.onControlFrame(connection);
    }

    @OnPongMessage
    @NonBlocking
    public void onPong(WebSocketConnection connection, Buffer data) {
        inbound.onControlFrame(connection);
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        lifecycle.close(connection);
    }

    @OnError
    @NonBlocking
    public void onError(WebSocketConnection connection, Throwable failure) {
        inbound.onFailure(connection, failure);
    }
}
