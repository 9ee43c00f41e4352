package dev.tocsin.gateway.session;

import dev.tocsin.gateway.auth.BearerToken;
import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.gateway.ratelimit.ConnectionRateLimit;
import dev.tocsin.gateway.stats.ConnectionStats;
import dev.tocsin.gateway.subscription.AlertGroups;
import dev.tocsin.gateway.subscription.Subscription;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;

import java.time.Instant;
import java.util.Set;

/**
 * The gateway's state for one WebSocket connection, kept in the connection's {@code userData()} under {@link #KEY}:
 * who it is (principal and the raw token for forwarding), what it subscribed to, its delivery pipeline, rate limit,
 * counters, liveness and presence entry. Features look a connection up here and nowhere else.
 *
 * <p>A subscriber receives alerts only once it is {@linkplain #isActive() active}, which happens right after
 * {@code connection_established} was queued, so that frame is always the first one.
 */
public final class Subscriber {

    public static final TypedKey<Subscriber> KEY = new TypedKey<>("tocsin.subscriber");

    private final WebSocketConnection connection;
    private final GatewayPrincipal principal;
    private final BearerToken token;
    private final Instant openedAt;
    private final Set<String> availableGroups;
    private final ConnectionStats stats;
    private final ConnectionRateLimit rateLimit;
    private final String presenceMember;
    private ConnectionDelivery delivery;
    private volatile Subscription subscription;
    private volatile long lastHeardMillis;
    private volatile boolean active;
    private volatile io.smallrye.mutiny.Uni<Void> presenceAdded;
    private volatile String floorEpoch;
    private volatile long floorSeq;
    private volatile dev.tocsin.gateway.pipeline.Position liveFrom = dev.tocsin.gateway.pipeline.Position.NONE;
    private volatile dev.tocsin.gateway.recovery.RecoveryGate recovery;
    private final java.util.concurrent.CompletableFuture<Void> firstMessage = new java.util.concurrent.CompletableFuture<>();
    private final java.util.Set<Long> inboxSeqs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Subscriber(WebSocketConnection connection, GatewayPrincipal principal, BearerToken token, Instant openedAt,
            ConnectionRateLimit rateLimit, String presenceMember) {
        this.connection = connection;
        this.principal = principal;
        this.token = token;
        this.openedAt = openedAt;
        this.availableGroups = AlertGroups.available(principal);
        this.subscription = Subscription.initial(principal);
        this.stats = new ConnectionStats(openedAt);
        this.rateLimit = rateLimit;
        this.presenceMember = presenceMember;
        this.lastHeardMillis = System.currentTimeMillis();
    }

    /** The subscriber of a connection, or null when the connection has none (not opened by the gateway yet). */
    public static Subscriber of(WebSocketConnection connection) {
        return connection.userData().get(KEY);
    }

    void attach(ConnectionDelivery delivery) {
        this.delivery = delivery;
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

    /** The user's own token, forwarded to alert-ingest; never logged. */
    public BearerToken token() {
        return token;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** Groups this connection may subscribe to: {@code everyone}, {@code direct} and the token's groups. */
    public Set<String> availableGroups() {
        return availableGroups;
    }

    public Subscription subscription() {
        return subscription;
    }

    public void subscription(Subscription updated) {
        this.subscription = updated;
    }

    public ConnectionDelivery delivery() {
        return delivery;
    }

    public ConnectionStats stats() {
        return stats;
    }

    public ConnectionRateLimit rateLimit() {
        return rateLimit;
    }

    /** This connection's member in the user's presence set: {@code <instance id>/<connection id>}. */
    public String presenceMember() {
        return presenceMember;
    }

    /**
     * Whether a live event is not for this connection any more because a {@code sync} already covered it, or the
     * client said it holds it: {@code seq} at or below the floor, in the floor's epoch.
     */
    public boolean skips(String epoch, long seq) {
        String floor = floorEpoch;
        return floor != null && seq <= floorSeq && floor.equals(epoch);
    }

    /** Live events up to {@code seq} of {@code epoch} are not sent to this connection any more. */
    public void floor(String epoch, long seq) {
        this.floorSeq = seq;
        this.floorEpoch = epoch;
    }

    public long floorSeq() {
        return floorSeq;
    }

    public String floorEpoch() {
        return floorEpoch;
    }

    /** The pipeline position when the connection became active: every later event reached it live. */
    public dev.tocsin.gateway.pipeline.Position liveFrom() {
        return liveFrom;
    }

    public void liveFrom(dev.tocsin.gateway.pipeline.Position position) {
        this.liveFrom = position;
    }

    /** The connection's recovery queue ({@code sync}, inbox), which holds live frames while it works. */
    public dev.tocsin.gateway.recovery.RecoveryGate recovery() {
        return recovery;
    }

    public void recovery(dev.tocsin.gateway.recovery.RecoveryGate gate) {
        this.recovery = gate;
    }

    /** Sequence numbers (of the current epoch) this connection received from the offline inbox. */
    public java.util.Set<Long> inboxSeqs() {
        return inboxSeqs;
    }

    /** The client's first message was served (ends the hold on connect). */
    public void firstMessageServed() {
        if (!firstMessage.isDone()) {
            firstMessage.complete(null);
        }
    }

    /** Completes when the client's first message was served. */
    public java.util.concurrent.CompletionStage<Void> firstMessage() {
        return firstMessage;
    }

    /** Any frame from the client proves it alive. */
    public void heard() {
        lastHeardMillis = System.currentTimeMillis();
    }

    public long lastHeardMillis() {
        return lastHeardMillis;
    }

    /** Whether alerts may be delivered: after the greeting, before the close. */
    public boolean isActive() {
        return active && connection.isOpen();
    }

    public void activate() {
        active = true;
    }

    void deactivate() {
        active = false;
    }

    /** The pending or done ZADD of the presence entry, so the ZREM on close can follow it. */
    io.smallrye.mutiny.Uni<Void> presenceAdded() {
        return presenceAdded;
    }

    void presenceAdded(io.smallrye.mutiny.Uni<Void> added) {
        this.presenceAdded = added;
    }

    @Override
    public String toString() {
        return "Subscriber[" + connection.id() + ", user=" + principal.user() + "]";
    }
}
