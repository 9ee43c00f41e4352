package dev.tocsin.gateway.session;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.auth.PrincipalResolver;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.gateway.delivery.DeliveryRecorder;
import dev.tocsin.gateway.delivery.MessageSender;
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

    SessionManager(SecurityIdentity identity, PrincipalResolver principals, MessageSender sender, GatewayConfig config,
            GatewayMetrics metrics, Closer closer, PresenceStore presence, InstanceId instanceId, Vertx vertx,
            EventPipeline pipeline, InboxDelivery inbox, DeliveryRecorder deliveryRecorder) {
        this.pipeline = pipeline;
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
        Optional<GatewayPrincipal> resolved = principals.resolve(identity);
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
        Subscriber subscriber = new Subscriber(connection, principal, principals.rawToken(identity), now, rateLimit,
                instanceId.value() + "/" + connection.id());
        ConnectionDelivery delivery = new ConnectionDelivery(connection, subscriber.stats(), metrics, vertx,
                deliverySettings, stuck -> closer.close(stuck, CloseCode.SLOW_CONSUMER, "slow consumer"),
                alertIds -> deliveryRecorder.delivered(alertIds, principal.user()));
        subscriber.attach(delivery);
        RecoveryGate gate = new RecoveryGate(subscriber, pipeline, delivery);
        subscriber.recovery(gate);
        connection.userData().put(Subscriber.KEY, subscriber);
        // Under the pipeline's lock: the position in the greeting is exactly where live delivery starts, and live
        // frames are held from that point until the inbox was delivered and a first sync had its chance.
        pipeline.atomically(position -> {
            subscriber.liveFrom(position);
            sender.send(subscriber, new ServerMessage.ConnectionEstablished(connection.id(), principal.user(), now,
                    config.heartbeatInterval().toMillis(), limits(), position.epoch(), position.seq()));
            gate.beginHoldAt(position);
            // Only now may the fan-out write to it: the greeting is queued first.
            subscriber.activate();
            return null;
        });
        gate.submit(() -> onConnect(subscriber));

        Uni<Void> added = presence.add(principal.user(), subscriber.presenceMember()).memoize().indefinitely();
        subscriber.presenceAdded(added);
        added.subscribe().with(ignored -> { }, failure -> Log.warnf("Could not record presence of connection %s: %s",
                connection.id(), failure.toString()));
        Log.debugf("Opened connection %s for user %s", connection.id(), principal.user());
    }

    /**
     * What a new connection gets before live frames: a short wait for the client's first message, so that a
     * {@code sync} sent right after connecting is served before any newer live frame; then (queued behind that sync)
     * the offline inbox, minus what the sync covered.
     */
    private Uni<Void> onConnect(Subscriber subscriber) {
        Duration grace = config.sync().holdOnConnect();
        Uni<Void> waited = grace.isZero() || grace.isNegative() ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(subscriber.firstMessage())
                        .ifNoItem().after(grace).recoverWithItem((Void) null)
                        .replaceWithVoid();
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
        if (subscriber.delivery() != null) {
            subscriber.delivery().close();
        }
        String user = subscriber.principal().user();
        Uni<Void> added = subscriber.presenceAdded();
        Uni<Void> after = added == null ? Uni.createFrom().voidItem() : added.onFailure().recoverWithNull();
        // After the ZADD, so a quick open-close cannot leave an entry behind.
        after.chain(() -> presence.remove(user, subscriber.presenceMember()))
                .subscribe().with(ignored -> { }, failure -> Log.debugf(
                        "Could not remove presence of connection %s (it expires by itself): %s", connection.id(),
                        failure.toString()));
        Log.debugf("Closed connection %s of user %s (%s)", connection.id(), user,
                connection.closeReason() == null ? "no reason" : connection.closeReason().getCode());
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
