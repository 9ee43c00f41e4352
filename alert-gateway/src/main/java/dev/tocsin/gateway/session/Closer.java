package dev.tocsin.gateway.session;

import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.protocol.message.CloseCode;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/** Closes a connection with one of the protocol's close codes, counts it, and never throws or blocks. */
@ApplicationScoped
public class Closer {

    private final GatewayMetrics metrics;

    Closer(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    public void close(WebSocketConnection connection, CloseCode code, String reason) {
        Subscriber subscriber = Subscriber.of(connection);
        if (subscriber != null) {
            subscriber.deactivate();
        }
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
