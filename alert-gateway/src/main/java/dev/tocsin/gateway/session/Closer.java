package dev.tocsin.gateway.session;

import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.protocol.message.CloseCode;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * Closes a connection with one of the protocol's close codes, counts it, and never throws or blocks. The close
 * follows what was submitted to the connection before it (a ban's last warnings, answers) through its event loop
 * shard, except for a slow consumer, which is closed at once: its queue will not drain.
 */
@ApplicationScoped
public class Closer {

    private final GatewayMetrics metrics;

    Closer(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    public void close(WebSocketConnection connection, CloseCode code, String reason) {
        Session session = Session.of(connection);
        if (session != null) {
            session.deactivate();
            if (code != CloseCode.SLOW_CONSUMER) {
                session.onLoop(() -> closeNow(connection, code, reason));
                return;
            }
        }
        closeNow(connection, code, reason);
    }

    private void closeNow(WebSocketConnection connection, CloseCode code, String reason) {
        if (connection.isClosed()) {
            return;
        }
        metrics.closed(code.name().toLowerCase(Locale.ROOT));
        Log.debugf("Closing connection %s with %d (%s)", connection.id(), code.code(), reason);
        try {
            connection.close(new CloseReason(code.code(), reason)).subscribe().with(ignored -> { },
                    failure -> Log.debugf("Closing connection %s failed: %s", connection.id(), failure.toString()));
        } catch (RuntimeException e) {
            Log.debugf("Closing connection %s failed: %s", connection.id(), e.toString());
        }
    }
}
