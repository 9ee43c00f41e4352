package dev.tocsin.gateway.session;

import dev.tocsin.protocol.message.CloseCode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * On shutdown, closes every connection with {@link CloseCode#SHUTDOWN} (4000) so clients reconnect (to another
 * replica) with back-off and sync, instead of seeing an abnormal close. Waits a bounded time.
 */
@ApplicationScoped
public class ShutdownCloser {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final OpenConnections connections;

    ShutdownCloser(OpenConnections connections) {
        this.connections = connections;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        List<Uni<Void>> closes = new ArrayList<>();
        CloseReason reason = new CloseReason(CloseCode.SHUTDOWN.code(), "server shutting down");
        for (WebSocketConnection connection : connections) {
            Subscriber subscriber = Subscriber.of(connection);
            if (subscriber != null) {
                subscriber.deactivate();
            }
            if (connection.isOpen()) {
                closes.add(connection.close(reason).onFailure().recoverWithNull());
            }
        }
        if (closes.isEmpty()) {
            return;
        }
        Log.infof("Closing %d connections for shutdown", closes.size());
        try {
            Uni.join().all(closes).andCollectFailures().await().atMost(WAIT);
        } catch (RuntimeException e) {
            Log.warnf("Not every connection closed within %s: %s", WAIT, e.toString());
        }
    }
}
