package dev.tocsin.gateway.heartbeat;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.hub.ConnectionShard;
import dev.tocsin.gateway.hub.EventLoopShards;
import dev.tocsin.gateway.presence.PresenceEntry;
import dev.tocsin.gateway.presence.PresenceStore;
import dev.tocsin.gateway.session.Closer;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.CloseCode;
import dev.tocsin.protocol.message.MessageTypes;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One periodic timer for all connections (not one per connection), firing every quarter of the heartbeat interval
 * ({@link HeartbeatSchedule}). Every round closes the connections silent for more than two intervals (4001) and those
 * whose token expired (4003). Every fourth round is a beat: each other connection gets a WebSocket ping control frame,
 * which browsers and WebSocket libraries answer with a pong frame on their own (any frame heard counts, see
 * {@code Session.heard()}), and the protocol's {@code ping} message (encoded once per beat), which is informational:
 * nobody has to answer it. A beat also refreshes the presence entries of the live connections in Redis, in pipelined
 * batches. Each round is one task per event loop, walking that loop's own connections there.
 */
@ApplicationScoped
public class HeartbeatMonitor {

    private final EventLoopShards<Session> shards;
    private final Closer closer;
    private final PresenceStore presence;
    private final Vertx vertx;
    private final HeartbeatSchedule schedule;
    private final AtomicLong rounds = new AtomicLong();
    private volatile long timer = -1;

    HeartbeatMonitor(EventLoopShards<Session> shards, Closer closer, PresenceStore presence, Vertx vertx,
            GatewayConfig config) {
        this.shards = shards;
        this.closer = closer;
        this.presence = presence;
        this.vertx = vertx;
        this.schedule = new HeartbeatSchedule(config.heartbeatInterval());
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(schedule.checkPeriodMs(), id -> tick());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One round over all connections; public for the lead's tooling, normally only the timer calls it. */
    public void tick() {
        boolean beat = schedule.beatsOn(rounds.getAndIncrement());
        long now = System.currentTimeMillis();
        Instant nowInstant = Instant.ofEpochMilli(now);
        OutboundFrame ping = beat
                ? OutboundFrame.withCursor(MessageTypes.PING, Json.encode(new ServerMessage.Ping(nowInstant)))
                : null;
        for (ConnectionShard<Session> shard : shards.all()) {
            List<PresenceEntry> alive = new ArrayList<>();
            shard.forEachActivated(session -> check(session, now, nowInstant, ping, alive),
                    () -> presence.refresh(alive));
        }
    }

    /** On the connection's event loop. {@code ping} is null in a round that is no beat. */
    private void check(Session session, long now, Instant nowInstant, OutboundFrame ping, List<PresenceEntry> alive) {
        WebSocketConnection connection = session.connection();
        if (!session.isActivatedAndOpen()) {
            return;
        }
        if (schedule.isSilent(now, session.lastHeardMillis())) {
            closer.close(connection, CloseCode.HEARTBEAT_TIMEOUT, "heartbeat timeout");
        } else if (session.principal().tokenExpiresAt() != null
                && !session.principal().tokenExpiresAt().isAfter(nowInstant)) {
            closer.close(connection, CloseCode.TOKEN_EXPIRED, "token expired");
        } else if (ping != null) {
            connection.sendPing(Buffer.buffer()).subscribe().with(ignored -> { },
                    failure -> Log.debugf("Ping frame to connection %s failed: %s", connection.id(), failure.toString()));
            session.delivery().send(ping);
            alive.add(session.presence());
        }
    }
}
