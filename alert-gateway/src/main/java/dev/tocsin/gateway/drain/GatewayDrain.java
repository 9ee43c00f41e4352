package dev.tocsin.gateway.drain;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.hub.EventLoopShards;
import dev.tocsin.gateway.presence.PresenceStore;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.message.CloseCode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Graceful drain (on shutdown, or asked for by an admin): readiness goes DOWN ({@code draining}) and new handshakes
 * are refused with 503 first; then every open connection is closed with 4000 ({@code shutdown}: reconnect elsewhere
 * and sync) as soon as what is queued for it has been written, at the latest after {@code drain-timeout}; presence
 * entries are removed as connections close. Non-blocking: a 50 ms timer checks the queues.
 */
@ApplicationScoped
public class GatewayDrain {

    static final long CHECK_MS = 50;

    private final DrainState state;
    private final OpenConnections connections;
    private final EventLoopShards<?> shards;
    private final PresenceStore presence;
    private final Vertx vertx;
    private final Duration timeout;
    private final CompletableFuture<Integer> finished = new CompletableFuture<>();

    GatewayDrain(DrainState state, OpenConnections connections, EventLoopShards<?> shards, PresenceStore presence,
            Vertx vertx, GatewayConfig config) {
        this.state = state;
        this.connections = connections;
        this.shards = shards;
        this.presence = presence;
        this.vertx = vertx;
        this.timeout = config.drainTimeout();
    }

    /** Starts the drain (once); completes with the number of connections closed. */
    public Uni<Integer> drain() {
        if (state.start()) {
            Log.infof("Draining: refusing new connections, closing %d open ones within %s",
                    connections.stream().count(), timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            int[] closed = {0};
            check(deadline, closed);
        }
        return Uni.createFrom().completionStage(finished);
    }

    /**
     * On SIGTERM: Quarkus' pre-shutdown phase ({@code quarkus.shutdown.delay-enabled=true}), before the HTTP server
     * stops. By the time {@link ShutdownEvent} is fired the server has already closed every WebSocket itself (with
     * 1000, no drain): the container test (e2e {@code ContainerE2ETest}) found that. Blocks, bounded, until drained.
     */
    void onShutdownInitiated(@Observes ShutdownDelayInitiatedEvent event) {
        awaitDrain();
    }

    /** Fallback when the pre-shutdown phase did not run (a no-op when the drain is over). */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        awaitDrain();
    }

    private void awaitDrain() {
        try {
            drain().await().atMost(timeout.plusSeconds(5));
        } catch (RuntimeException e) {
            Log.warnf("Drain did not finish: %s", e.toString());
        }
    }

    private void check(long deadline, int[] closed) {
        boolean late = System.nanoTime() - deadline >= 0;
        List<WebSocketConnection> open = new ArrayList<>();
        for (WebSocketConnection connection : connections) {
            if (connection.isOpen()) {
                open.add(connection);
            }
        }
        int remaining = 0;
        // Events still queued on an event loop have not reached any connection's delivery yet.
        boolean shardsIdle = shards.idle();
        for (WebSocketConnection connection : open) {
            Session session = Session.of(connection);
            boolean flushed = session == null || session.delivery() == null
                    || shardsIdle && session.delivery().pending() == 0;
            if (flushed || late) {
                close(connection, session);
                closed[0]++;
            } else {
                remaining++;
            }
        }
        if (remaining == 0) {
            Log.infof("Drained: %d connections closed", closed[0]);
            finished.complete(closed[0]);
            return;
        }
        vertx.setTimer(CHECK_MS, id -> check(deadline, closed));
    }

    private void close(WebSocketConnection connection, Session session) {
        if (session != null) {
            // Before the close, so the entry is gone while the client reconnects elsewhere; @OnClose finds it gone.
            presence.unregister(session.presence());
        }
        try {
            connection.close(new CloseReason(CloseCode.SHUTDOWN.code(), "server draining")).subscribe().with(
                    ignored -> { }, failure -> Log.debugf("Closing %s failed: %s", connection.id(), failure.toString()));
        } catch (RuntimeException e) {
            Log.debugf("Closing %s failed: %s", connection.id(), e.toString());
        }
    }
}
