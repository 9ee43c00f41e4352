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
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One periodic timer for all connections (not one per connection): every heartbeat interval it closes connections
 * silent for two intervals (4001) or whose token expired (4003), sends every other one a {@code ping} (encoded once
 * per tick), and refreshes their presence entries in Redis in pipelined batches.
 */
@ApplicationScoped
public class HeartbeatMonitor {

    private final EventLoopShards<Session> shards;
    private final Closer closer;
    private final PresenceStore presence;
    private final Vertx vertx;
    private final long intervalMs;
    private volatile long timer = -1;

    HeartbeatMonitor(EventLoopShards<Session> shards, Closer closer, PresenceStore presence, Vertx vertx,
            GatewayConfig config) {
        this.shards = shards;
        this.closer = closer;
        this.presence = presence;
        this.vertx = vertx;
        this.intervalMs = config.heartbeatInterval().toMillis();
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(intervalMs, id -> tick());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One round over all connections; public for the lead's tooling, normally only the timer calls it. */
    public void tick() {
        long now = System.currentTimeMillis();
        Instant nowInstant = Instant.ofEpochMilli(now);
        OutboundFrame ping = OutboundFrame.withCursor(MessageTypes.PING, Json.encode(new ServerMessage.Ping(nowInstant)));
        // One task per event loop, walking its own connections there (not one task per connection); each loop
        // refreshes the presence of its live connections in one pipelined batch.
        for (ConnectionShard<Session> shard : shards.all()) {
            List<PresenceEntry> alive = new ArrayList<>();
            shard.forEachActivated(session -> beat(session, now, nowInstant, ping, alive),
                    () -> presence.refresh(alive));
        }
    }

    private void beat(Session session, long now, Instant nowInstant, OutboundFrame ping,
            List<PresenceEntry> alive) {
        WebSocketConnection connection = session.connection();
        if (!session.isActivatedAndOpen()) {
            return;
        }
        if (now - session.lastHeardMillis() > 2 * intervalMs) {
            closer.close(connection, CloseCode.HEARTBEAT_TIMEOUT, "heartbeat timeout");
        } else if (session.principal().tokenExpiresAt() != null
                && !session.principal().tokenExpiresAt().isAfter(nowInstant)) {
            closer.close(connection, CloseCode.TOKEN_EXPIRED, "token expired");
        } else {
            session.delivery().send(ping);
            alive.add(session.presence());
        }
    }
}
