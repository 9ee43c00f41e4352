package dev.tocsin.gateway.session;

import dev.tocsin.gateway.auth.BearerToken;
import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.gateway.hub.AudienceRouting;
import dev.tocsin.gateway.hub.ConnectionShard;
import dev.tocsin.gateway.hub.Recipient;
import dev.tocsin.gateway.presence.PresenceEntry;
import dev.tocsin.gateway.stats.ConnectionStats;
import dev.tocsin.gateway.subscription.AlertGroups;
import dev.tocsin.gateway.subscription.Subscription;
import dev.tocsin.gateway.subscription.SubscriptionHolder;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.event.AlertEvent;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.Set;

/**
 * The gateway's session for one WebSocket connection, kept in the connection's {@code userData()} under {@link #KEY}:
 * who it is (principal and the raw token for forwarding), what it subscribed to, its delivery, its event loop shard,
 * counters, liveness, its presence entry, and the floor below which live events are not sent again. Features that
 * keep more per connection (recovery, rate limit) keep it in the connection's {@code userData()} under their own key.
 *
 * <p>A session receives alerts only once it is {@linkplain #isActivated() activated}, which happens right after
 * {@code connection_established} was queued, so that frame is always the first one.
 */
public final class Session implements Recipient, SubscriptionHolder {

    public static final TypedKey<Session> KEY = new TypedKey<>("tocsin.session");

    private final WebSocketConnection connection;
    private final GatewayPrincipal principal;
    private final BearerToken token;
    private final Instant openedAt;
    private final Set<String> availableGroups;
    private final ConnectionStats stats;
    private final PresenceEntry presence;
    private final ConnectionShard<Session> shard;
    /** Index in the shard's member array; -1 while not a member. Touched only on the shard's loop. */
    private int shardSlot = -1;
    private ConnectionDelivery delivery;
    private volatile Subscription subscription;
    private volatile long lastHeardMillis;
    private volatile boolean activated;
    private volatile String floorEpoch;
    private volatile long floorSeq;

    /**
     * @param instanceId this replica's instance id, for the presence entry
     * @param shard      the shard of the event loop the connection lives on
     */
    public Session(WebSocketConnection connection, GatewayPrincipal principal, BearerToken token, Instant openedAt,
            String instanceId, ConnectionShard<Session> shard) {
        this.connection = connection;
        this.shard = shard;
        this.principal = principal;
        this.token = token;
        this.openedAt = openedAt;
        this.availableGroups = AlertGroups.available(principal);
        this.subscription = Subscription.initial(availableGroups);
        this.stats = new ConnectionStats(openedAt);
        this.presence = new PresenceEntry(principal.user(), instanceId, connection.id());
        this.lastHeardMillis = System.currentTimeMillis();
    }

    /** The session of a connection, or null when it has none (not opened by the gateway yet). */
    public static Session of(WebSocketConnection connection) {
        return connection.userData().get(KEY);
    }

    /** Gives the session its delivery; once, before it is activated. */
    public void attach(ConnectionDelivery delivery) {
        this.delivery = delivery;
    }

    /** The event loop shard this connection lives on. */
    public ConnectionShard<Session> shard() {
        return shard;
    }

    /**
     * Runs {@code task} on the connection's event loop, after everything submitted to it before (events included).
     * Every change to what the connection is sent goes through here; see {@link ConnectionShard}.
     */
    public void onLoop(Runnable task) {
        shard.execute(task);
    }

    /** {@link #onLoop} as a {@code Uni} that completes (on the loop) once the task ran, or fails with what it threw. */
    public Uni<Void> runOnLoop(Runnable task) {
        return Uni.createFrom().emitter(emitter -> onLoop(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            emitter.complete(null);
        }));
    }

    @Override
    public int shardSlot() {
        return shardSlot;
    }

    @Override
    public void shardSlot(int slot) {
        this.shardSlot = slot;
    }

    @Override
    public boolean receives(AlertEvent event) {
        return !skips(event.epoch(), event.seq()) && AudienceRouting.reaches(event, principal);
    }

    @Override
    public boolean wants(Alert alert) {
        return subscription.wants(alert, principal);
    }

    public WebSocketConnection connection() {
        return connection;
    }

    @Override
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

    @Override
    public Set<String> availableGroups() {
        return availableGroups;
    }

    @Override
    public Subscription subscription() {
        return subscription;
    }

    @Override
    public void subscription(Subscription updated) {
        this.subscription = updated;
    }

    @Override
    public ConnectionDelivery delivery() {
        return delivery;
    }

    public ConnectionStats stats() {
        return stats;
    }

    /** This connection's entry in the user's presence set. */
    public PresenceEntry presence() {
        return presence;
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

    /** Any frame from the client (a message, or a ping or pong control frame) proves it alive. */
    public void heard() {
        lastHeardMillis = System.currentTimeMillis();
    }

    public long lastHeardMillis() {
        return lastHeardMillis;
    }

    @Override
    public boolean isActivated() {
        return activated;
    }

    /** Whether the session is activated and its socket still open (asks the socket: not for the per-event path). */
    public boolean isActivatedAndOpen() {
        return activated && connection.isOpen();
    }

    public void activate() {
        activated = true;
    }

    /** No more alerts: the connection is closing or closed. */
    public void deactivate() {
        activated = false;
    }

    @Override
    public String toString() {
        return "Session[" + connection.id() + ", user=" + principal.user() + "]";
    }
}
