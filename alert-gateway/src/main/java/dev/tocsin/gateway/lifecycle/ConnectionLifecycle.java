package dev.tocsin.gateway.lifecycle;

import dev.tocsin.gateway.auth.BearerToken;
import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.auth.IdentityHandOver;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.delivery.ConnectionDeliveries;
import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.gateway.hub.ConnectionShard;
import dev.tocsin.gateway.hub.EventLoopShards;
import dev.tocsin.gateway.pipeline.EventPipeline;
import dev.tocsin.gateway.presence.InstanceId;
import dev.tocsin.gateway.presence.PresenceStore;
import dev.tocsin.gateway.records.DeliveryRecordWriter;
import dev.tocsin.gateway.recovery.ConnectionRecovery;
import dev.tocsin.gateway.recovery.RecoveryOnConnect;
import dev.tocsin.gateway.session.Closer;
import dev.tocsin.gateway.session.MessageSender;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.message.CloseCode;
import dev.tocsin.protocol.message.Cursor;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens and closes connections: creates the {@link Session} with its delivery and recovery state, greets the client,
 * joins the session to its event loop's fan-out, records the presence entry in Redis, and retires all of it on close.
 */
@ApplicationScoped
public class ConnectionLifecycle {

    private final MessageSender sender;
    private final GatewayConfig config;
    private final Closer closer;
    private final PresenceStore presence;
    private final InstanceId instanceId;
    private final EventPipeline pipeline;
    private final ConnectionDeliveries deliveries;
    private final DeliveryRecordWriter deliveryRecords;
    private final RecoveryOnConnect recovery;
    private final EventLoopShards<Session> shards;
    /** The greeting's limits: the same for every connection, so built once. */
    private final Map<String, Object> limits;

    ConnectionLifecycle(MessageSender sender,
            GatewayConfig config, Closer closer, PresenceStore presence, InstanceId instanceId, EventPipeline pipeline,
            ConnectionDeliveries deliveries, DeliveryRecordWriter deliveryRecords, RecoveryOnConnect recovery,
            EventLoopShards<Session> shards) {
        this.sender = sender;
        this.config = config;
        this.closer = closer;
        this.presence = presence;
        this.instanceId = instanceId;
        this.pipeline = pipeline;
        this.deliveries = deliveries;
        this.deliveryRecords = deliveryRecords;
        this.recovery = recovery;
        this.shards = shards;
        this.limits = limits(config);
    }

    /** Called from {@code @OnOpen}: the handshake was authenticated, authorized and admitted already. */
    public void open(WebSocketConnection connection) {
        // Handed over by the handshake's last check, which also let go of the identity (see IdentityHandOver). The
        // identity itself is not injected here: a request-scoped bean in the endpoint's dependencies makes
        // websockets-next activate the request context for every callback and keep its state on every connection
        // (about 0.3 KiB of heap each, issue #21).
        GatewayPrincipal principal = connection.userData().get(IdentityHandOver.PRINCIPAL);
        BearerToken token = connection.userData().get(IdentityHandOver.TOKEN);
        connection.userData().remove(IdentityHandOver.PRINCIPAL);
        connection.userData().remove(IdentityHandOver.TOKEN);
        if (token == null) {
            token = new BearerToken(null);
        }
        if (principal == null) {
            // Cannot happen while the endpoint is secured; refuse rather than serve an unknown user.
            Log.warnf("Closing connection %s: no authenticated principal", connection.id());
            closer.close(connection, CloseCode.UNAUTHORIZED, "unauthorized");
            return;
        }
        Instant now = Instant.now();
        ConnectionShard<Session> shard = shards.current();
        Session session = new Session(connection, principal, token, now, instanceId.value(), shard);
        ConnectionDelivery delivery = deliveries.create(connection, session.stats(),
                () -> closer.close(connection, CloseCode.SLOW_CONSUMER, "slow consumer"),
                alertIds -> deliveryRecords.delivered(alertIds, principal.user()));
        session.attach(delivery);
        ConnectionRecovery connectionRecovery = recovery.attach(session);
        connection.userData().put(Session.KEY, session);
        // Under the pipeline's lock: the position in the greeting is exactly where live delivery starts, and live
        // frames are held from that point until the inbox was delivered and a first sync had its chance. The greeting,
        // the hold and the join are tasks on the connection's shard, queued here behind exactly the events up to the
        // position: the connection gets none of those and every later one.
        pipeline.atomically(position -> {
            // The greeting's cursor is where a fresh client starts; the connection's own cursor starts there too.
            session.onLoop(() -> delivery.startAt(position.epoch(), position.seq()));
            sender.send(session, greeting(connection.id(), principal.user(), now, position.epoch(), position.seq()));
            connectionRecovery.beginAt(position);
            session.activate();
            shard.join(session);
            return null;
        });
        recovery.start(session, connectionRecovery);
        presence.register(session.presence());
        Log.debugf("Opened connection %s for user %s", connection.id(), principal.user());
    }

    /** Called from {@code @OnClose}. */
    public void close(WebSocketConnection connection) {
        Session session = Session.of(connection);
        if (session == null) {
            return;
        }
        session.deactivate();
        session.shard().leave(session);
        if (session.delivery() != null) {
            session.delivery().close();
        }
        presence.unregister(session.presence());
        Log.debugf("Closed connection %s of user %s (%s)", connection.id(), session.principal().user(),
                connection.closeReason() == null ? "no reason" : connection.closeReason().getCode());
    }

    /** The {@code connection_established} message of a connection whose live delivery starts at (epoch, seq). */
    public ServerMessage.ConnectionEstablished greeting(String connectionId, String user, Instant now, String epoch,
            long seq) {
        return new ServerMessage.ConnectionEstablished(connectionId, user, now, config.heartbeatInterval().toMillis(),
                limits, epoch, seq, Cursor.of(seq));
    }

    private static Map<String, Object> limits(GatewayConfig config) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxFrameBytes", config.maxFrameBytes());
        limits.put("messagesPerMinute", config.rateLimit().perMinute());
        limits.put("maxConnectionsPerUser", config.maxConnectionsPerUser());
        limits.put("batchWindowMs", config.batch().window().toMillis());
        limits.put("maxBatchSize", config.batch().maxSize());
        limits.put("outboundQueueSize", config.outbound().queueSize());
        return Collections.unmodifiableMap(limits);
    }
}
