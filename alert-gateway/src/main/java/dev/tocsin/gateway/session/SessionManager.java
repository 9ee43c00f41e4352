package dev.tocsin.gateway.session;

import dev.tocsin.gateway.auth.BearerToken;
import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.auth.IdentityHandOver;
import dev.tocsin.gateway.auth.PrincipalResolver;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.gateway.delivery.DeliveryRecorder;
import dev.tocsin.gateway.delivery.MessageSender;
import dev.tocsin.gateway.hub.ConnectionShard;
import dev.tocsin.gateway.hub.EventLoopShards;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.pipeline.EventPipeline;
import dev.tocsin.gateway.recovery.InboxDelivery;
import dev.tocsin.gateway.recovery.RecoveryGate;
import dev.tocsin.gateway.presence.InstanceId;
import dev.tocsin.gateway.presence.PresenceStore;
import dev.tocsin.gateway.ratelimit.ConnectionRateLimit;
import dev.tocsin.protocol.message.CloseCode;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Opens and closes sessions: creates the {@link Subscriber} with its delivery pipeline, greets the client, records
 * the presence entry in Redis, and retires all of it on close.
 */
@ApplicationScoped
public class SessionManager {

    private final SecurityIdentity identity;
    private final PrincipalResolver principals;
    private final MessageSender sender;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final Closer closer;
    private final PresenceStore presence;
    private final InstanceId instanceId;
    private final Vertx vertx;
    private final ConnectionDelivery.DeliverySettings deliverySettings;
    private final EventPipeline pipeline;
    private final InboxDelivery inbox;
    private final DeliveryRecorder deliveryRecorder;
    private final EventLoopShards shards;

    SessionManager(SecurityIdentity identity, PrincipalResolver principals, MessageSender sender, GatewayConfig config,
            GatewayMetrics metrics, Closer closer, PresenceStore presence, InstanceId instanceId, Vertx vertx,
            EventPipeline pipeline, InboxDelivery inbox, DeliveryRecorder deliveryRecorder, EventLoopShards shards) {
        this.pipeline = pipeline;
        this.shards = shards;
        this.deliveryRecorder = deliveryRecorder;
        this.inbox = inbox;
        this.identity = identity;
        this.principals = principals;
        this.sender = sender;
        this.config = config;
        this.metrics = metrics;
        this.closer = closer;
        this.presence = presence;
        this.instanceId = instanceId;
        this.vertx = vertx;
        this.deliverySettings = new ConnectionDelivery.DeliverySettings(config.batch().window().toMillis(),
                config.batch().maxSize(), config.outbound().queueSize(), config.outbound().stuckTimeout().toMillis(),
                config.outbound().maxInFlight());
    }

    /** Called from {@code @OnOpen}: the handshake was authenticated, authorized and admitted already. */
    public void open(WebSocketConnection connection) {
        // Handed over by the handshake's last check, which also let go of the identity (see IdentityHandOver).
        GatewayPrincipal handedOver = connection.userData().get(IdentityHandOver.PRINCIPAL);
        BearerToken token = connection.userData().get(IdentityHandOver.TOKEN);
        connection.userData().remove(IdentityHandOver.PRINCIPAL);
        connection.userData().remove(IdentityHandOver.TOKEN);
        Optional<GatewayPrincipal> resolved = handedOver != null ? Optional.of(handedOver) : principals.resolve(identity);
        if (token == null) {
            token = principals.rawToken(identity);
        }
        if (resolved.isEmpty()) {
            // Cannot happen while the endpoint is secured; refuse rather than serve an unknown user.
            Log.warnf("Closing connection %s: no authenticated principal", connection.id());
            closer.close(connection, CloseCode.UNAUTHORIZED, "unauthorized");
            return;
        }
        GatewayPrincipal principal = resolved.get();
        Instant now = Instant.now();
        ConnectionRateLimit rateLimit = new ConnectionRateLimit(config.rateLimit().perMinute(),
                config.rateLimit().banAfter(), now.toEpochMilli());
        ConnectionShard shard = shards.current();
        Subscriber subscriber = new Subscriber(connection, principal, token, now, rateLimit,
                instanceId.value(), shard);
        ConnectionDelivery delivery = new ConnectionDelivery(connection, subscriber.stats(), metrics, vertx,
                deliverySettings, stuck -> closer.close(stuck, CloseCode.SLOW_CONSUMER, "slow consumer"),
                alertIds -> deliveryRecorder.delivered(alertIds, principal.user()));
        subscriber.attach(delivery);
        RecoveryGate gate = new RecoveryGate(subscriber, pipeline, delivery);
        subscriber.recovery(gate);
        connection.userData().put(Subscriber.KEY, subscriber);
        // Under the pipeline's lock: the position in the greeting is exactly where live delivery starts, and live
        // frames are held from that point until the inbox was delivered and a first sync had its chance. The greeting,
        // the hold and the join are tasks on the connection's shard, queued here behind exactly the events up to the
        // position: the connection gets none of those and every later one.
        pipeline.atomically(position -> {
            subscriber.liveFrom(position);
            sender.send(subscriber, new ServerMessage.ConnectionEstablished(connection.id(), principal.user(), now,
                    config.heartbeatInterval().toMillis(), limits(), position.epoch(), position.seq()));
            gate.beginHoldAt(position);
            subscriber.activate();
            shard.join(subscriber);
            return null;
        });
        gate.submit(() -> onConnect(subscriber));

        presence.add(principal.user(), subscriber.presenceMember()).subscribe().with(
                ignored -> presenceAdded(subscriber),
                failure -> {
                    Log.warnf("Could not record presence of connection %s: %s", connection.id(), failure.toString());
                    presenceAdded(subscriber);
                });
        Log.debugf("Opened connection %s for user %s", connection.id(), principal.user());
    }

    /**
     * What a new connection gets before live frames: a short wait for the client's first message, so that a
     * {@code sync} sent right after connecting is served before any newer live frame; then (queued behind that sync)
     * the offline inbox, minus what the sync covered.
     */
    private Uni<Void> onConnect(Subscriber subscriber) {
        Duration grace = config.sync().holdOnConnect();
        // A timer and a callback, not a future with a timeout: a cancelled future would keep its exception, stack
        // trace included, for the life of every connection whose client does not speak first.
        Uni<Void> waited = grace.isZero() || grace.isNegative() ? Uni.createFrom().voidItem()
                : Uni.createFrom().emitter(emitter -> {
                    long timer = vertx.setTimer(grace.toMillis(), id -> {
                        subscriber.stopWaitingForFirstMessage();
                        emitter.complete(null);
                    });
                    subscriber.onFirstMessage(() -> {
                        vertx.cancelTimer(timer);
                        emitter.complete(null);
                    });
                });
        return waited.invoke(() -> {
            if (config.sync().inbox()) {
                subscriber.recovery().submit(() -> inbox.deliver(subscriber));
            }
        });
    }

    /** Called from {@code @OnClose}. */
    public void close(WebSocketConnection connection) {
        Subscriber subscriber = Subscriber.of(connection);
        if (subscriber == null) {
            return;
        }
        subscriber.deactivate();
        subscriber.shard().leave(subscriber);
        if (subscriber.delivery() != null) {
            subscriber.delivery().close();
        }
        String user = subscriber.principal().user();
        if (subscriber.presenceClosed()) {
            removePresence(subscriber);
        }
        Log.debugf("Closed connection %s of user %s (%s)", connection.id(), user,
                connection.closeReason() == null ? "no reason" : connection.closeReason().getCode());
    }

    /** The ZADD ended; if the connection closed meanwhile, the entry goes now, so none is left behind. */
    private void presenceAdded(Subscriber subscriber) {
        if (!subscriber.presenceAddFinished()) {
            removePresence(subscriber);
        }
    }

    private void removePresence(Subscriber subscriber) {
        presence.remove(subscriber.principal().user(), subscriber.presenceMember()).subscribe().with(ignored -> { },
                failure -> Log.debugf("Could not remove presence of connection %s (it expires by itself): %s",
                        subscriber.connectionId(), failure.toString()));
    }

    private Map<String, Object> limits() {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxFrameBytes", config.maxFrameBytes());
        limits.put("messagesPerMinute", config.rateLimit().perMinute());
        limits.put("maxConnectionsPerUser", config.maxConnectionsPerUser());
        limits.put("batchWindowMs", config.batch().window().toMillis());
        limits.put("maxBatchSize", config.batch().maxSize());
        limits.put("outboundQueueSize", config.outbound().queueSize());
        return limits;
    }
}
