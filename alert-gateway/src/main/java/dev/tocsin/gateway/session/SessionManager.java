package dev.tocsin.gateway.session;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.auth.PrincipalResolver;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.delivery.MessageSender;
import dev.tocsin.protocol.message.CloseCode;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Opens and closes sessions: creates the {@link Subscriber}, greets the client, and retires it on close. */
@ApplicationScoped
public class SessionManager {

    private final SecurityIdentity identity;
    private final PrincipalResolver principals;
    private final MessageSender sender;
    private final GatewayConfig config;

    SessionManager(SecurityIdentity identity, PrincipalResolver principals, MessageSender sender, GatewayConfig config) {
        this.identity = identity;
        this.principals = principals;
        this.sender = sender;
        this.config = config;
    }

    /** Called from {@code @OnOpen}: the handshake was authenticated and authorized already. */
    public void open(WebSocketConnection connection) {
        Optional<GatewayPrincipal> principal = principals.resolve(identity);
        if (principal.isEmpty()) {
            // Cannot happen while the endpoint is secured; refuse rather than serve an unknown user.
            Log.warnf("Closing connection %s: no authenticated principal", connection.id());
            connection.close(new CloseReason(CloseCode.UNAUTHORIZED.code(), "unauthorized"))
                    .subscribe().with(ignored -> { }, failure -> { });
            return;
        }
        Subscriber subscriber = new Subscriber(connection, principal.get(), Instant.now());
        connection.userData().put(Subscriber.KEY, subscriber);
        sender.send(subscriber, new ServerMessage.ConnectionEstablished(connection.id(), principal.get().user(),
                Instant.now(), config.heartbeatInterval().toMillis(), limits()));
        // Only now may the fan-out write to it: the greeting was handed to the transport first.
        subscriber.activate();
        Log.debugf("Opened connection %s for user %s", connection.id(), principal.get().user());
    }

    /** Called from {@code @OnClose}. */
    public void close(WebSocketConnection connection) {
        Subscriber subscriber = Subscriber.of(connection);
        if (subscriber != null) {
            subscriber.deactivate();
            Log.debugf("Closed connection %s of user %s (%s)", connection.id(), subscriber.principal().user(),
                    connection.closeReason() == null ? "no reason" : connection.closeReason().getCode());
        }
    }

    private Map<String, Object> limits() {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxFrameBytes", config.maxFrameBytes());
        return limits;
    }
}
