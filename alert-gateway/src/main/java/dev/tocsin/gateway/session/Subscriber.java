package dev.tocsin.gateway.session;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;

import java.time.Instant;

/**
 * The gateway's state for one WebSocket connection, kept in the connection's {@code userData()} under {@link #KEY}.
 * It is the place where per-connection features attach (subscriptions and filters, acknowledgements, the outbound
 * queue, rate limits, the last delivered sequence): the fan-out and the sender only ever look a connection up here.
 *
 * <p>A subscriber receives alerts only once it is {@linkplain #isActive() active}, which happens right after
 * {@code connection_established} was handed to the transport, so that frame is always the first one.
 */
public final class Subscriber {

    public static final TypedKey<Subscriber> KEY = new TypedKey<>("tocsin.subscriber");

    private final WebSocketConnection connection;
    private final GatewayPrincipal principal;
    private final Instant openedAt;
    private volatile boolean active;

    public Subscriber(WebSocketConnection connection, GatewayPrincipal principal, Instant openedAt) {
        this.connection = connection;
        this.principal = principal;
        this.openedAt = openedAt;
    }

    /** The subscriber of a connection, or null when the connection has none (not opened by the gateway yet). */
    public static Subscriber of(WebSocketConnection connection) {
        return connection.userData().get(KEY);
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public String connectionId() {
        return connection.id();
    }

    public GatewayPrincipal principal() {
        return principal;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** Whether alerts may be delivered: after the greeting, before the close. */
    public boolean isActive() {
        return active && connection.isOpen();
    }

    void activate() {
        active = true;
    }

    void deactivate() {
        active = false;
    }

    @Override
    public String toString() {
        return "Subscriber[" + connection.id() + ", user=" + principal.user() + "]";
    }
}
