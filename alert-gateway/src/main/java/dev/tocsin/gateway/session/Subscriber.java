package dev.tocsin.gateway.session;

import dev.tocsin.gateway.auth.BearerToken;
import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.gateway.hub.ConnectionShard;
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
    /** This replica's instance id (shared); the presence member is built from it when needed. */
    private final String instanceId;
    private final ConnectionShard shard;
    /** Index in the shard's member array; -1 while not a member. Touched only on the shard's loop. */
    private int shardSlot = -1;
    private ConnectionDelivery delivery;
    private volatile Subscription subscription;
    private volatile long lastHeardMillis;
    private volatile boolean active;
    /** PRESENCE_* below; a state, not the Redis call's Uni, which would keep its whole chain alive per connection. */
    private volatile int presence;
    private volatile String floorEpoch;
    private volatile long floorSeq;
    private volatile dev.tocsin.gateway.pipeline.Position liveFrom = dev.tocsin.gateway.pipeline.Position.NONE;
    private volatile dev.tocsin.gateway.recovery.RecoveryGate recovery;
    /** Guarded by this: whether the first client message was served, and who waits for it. */
    private boolean firstMessageDone;
    private Runnable firstMessageWaiter;
    /** Created when the offline inbox delivers something: most connections never get an inbox entry. */
    private volatile java.util.Set<Long> inboxSeqs;

    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<Subscriber> PRESENCE =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(Subscriber.class, "presence");
    private static final int PRESENCE_ADDING = 0;
    private static final int PRESENCE_ADDED = 1;
    private static final int PRESENCE_CLOSED_WHILE_ADDING = 2;
    private static final int PRESENCE_REMOVED = 3;

    public Subscriber(WebSocketConnection connection, GatewayPrincipal principal, BearerToken token, Instant openedAt,
            ConnectionRateLimit rateLimit, String instanceId, ConnectionShard shard) {
        this.connection = connection;
        this.shard = shard;
        this.principal = principal;
        this.token = token;
        this.openedAt = openedAt;
        this.availableGroups = AlertGroups.available(principal);
        this.subscription = Subscription.initial(availableGroups);
        this.stats = new ConnectionStats(openedAt);
        this.rateLimit = rateLimit;
        this.instanceId = instanceId;
        this.lastHeardMillis = System.currentTimeMillis();
    }

    /** The subscriber of a connection, or null when the connection has none (not opened by the gateway yet). */
    public static Subscriber of(WebSocketConnection connection) {
        return connection.userData().get(KEY);
    }

    void attach(ConnectionDelivery delivery) {
        this.delivery = delivery;
    }

    /** The event loop shard this connection lives on. */
    public ConnectionShard shard() {
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
    public io.smallrye.mutiny.Uni<Void> runOnLoop(Runnable task) {
        return io.smallrye.mutiny.Uni.createFrom().emitter(emitter -> onLoop(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            emitter.complete(null);
        }));
    }

    public int shardSlot() {
        return shardSlot;
    }

    public void shardSlot(int slot) {
        this.shardSlot = slot;
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
        return instanceId + "/" + connection.id();
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

    /** This connection received the event {@code seq} (of the current epoch) from the offline inbox. */
    public void inboxDelivered(long seq) {
        java.util.Set<Long> seqs = inboxSeqs;
        if (seqs == null) {
            synchronized (this) {
                seqs = inboxSeqs;
                if (seqs == null) {
                    seqs = java.util.concurrent.ConcurrentHashMap.newKeySet();
                    inboxSeqs = seqs;
                }
            }
        }
        seqs.add(seq);
    }

    /** Whether the event {@code seq} (of the current epoch) reached this connection from the offline inbox. */
    public boolean fromInbox(long seq) {
        java.util.Set<Long> seqs = inboxSeqs;
        return seqs != null && seqs.contains(seq);
    }

    /** The client's first message was served (ends the hold on connect). */
    public void firstMessageServed() {
        Runnable waiter;
        synchronized (this) {
            if (firstMessageDone) {
                return;
            }
            firstMessageDone = true;
            waiter = firstMessageWaiter;
            firstMessageWaiter = null;
        }
        if (waiter != null) {
            waiter.run();
        }
    }

    /** Runs {@code waiter} once the client's first message was served (at once when it was). */
    public void onFirstMessage(Runnable waiter) {
        boolean done;
        synchronized (this) {
            done = firstMessageDone;
            if (!done) {
                firstMessageWaiter = waiter;
            }
        }
        if (done) {
            waiter.run();
        }
    }

    /** Stops waiting for the first message (the grace period ended). */
    public synchronized void stopWaitingForFirstMessage() {
        firstMessageWaiter = null;
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

    /**
     * The fan-out's cheaper check: activated and not yet retired by {@code @OnClose}. A socket that closed a moment
     * ago fails the write instead, which is counted; asking the socket costs a lock per connection and event.
     */
    public boolean isActivated() {
        return active;
    }

    public void activate() {
        active = true;
    }

    void deactivate() {
        active = false;
    }

    /**
     * The presence entry's ZADD finished (or failed): true when the entry should stay, false when the connection
     * closed meanwhile and the entry must be removed now.
     */
    boolean presenceAddFinished() {
        return PRESENCE.compareAndSet(this, PRESENCE_ADDING, PRESENCE_ADDED);
    }

    /**
     * The connection closed: true when the entry must be removed now, false when its ZADD is still under way (then
     * {@link #presenceAddFinished} says so when it ends, so an entry is never left behind by a quick open-close).
     */
    boolean presenceClosed() {
        if (PRESENCE.compareAndSet(this, PRESENCE_ADDING, PRESENCE_CLOSED_WHILE_ADDING)) {
            return false;
        }
        return PRESENCE.compareAndSet(this, PRESENCE_ADDED, PRESENCE_REMOVED);
    }

    @Override
    public String toString() {
        return "Subscriber[" + connection.id() + ", user=" + principal.user() + "]";
    }
}
