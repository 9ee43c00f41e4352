package dev.tocsin.gateway.delivery;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.WebSocketConnectionBase;
import io.vertx.core.http.WebSocketBase;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The Vert.x WebSocket under a websockets-next connection, so that a frame encoded once can be written as the same
 * UTF-8 bytes to every connection. {@code WebSocketConnection.sendText} would encode the string to UTF-8 again for
 * each connection and wrap every write in a Mutiny {@code Uni} with context propagation, which together cost more
 * than the socket write itself on the fan-out path (see docs/benchmarks.md).
 *
 * <p>websockets-next keeps the socket behind a package-private accessor; it is looked up once. If a Quarkus upgrade
 * removes it, {@link #available()} turns false, a warning is logged once and delivery falls back to
 * {@code sendText} (slower, same behaviour); {@code SocketAccessTest} fails first, so the upgrade is noticed.
 * Frames written this way bypass websockets-next's traffic logging and its per-message telemetry interceptor, which
 * the gateway does not enable.
 */
public final class SocketAccess {

    private static final MethodHandle WEB_SOCKET = resolve();

    private SocketAccess() {
    }

    /** Whether the direct path works with this Quarkus version. */
    public static boolean available() {
        return WEB_SOCKET != null;
    }

    /** The connection's Vert.x WebSocket, or null when it cannot be reached (then use {@code sendText}). */
    public static WebSocketBase socketOf(WebSocketConnection connection) {
        if (WEB_SOCKET == null || !(connection instanceof WebSocketConnectionBase)) {
            return null;
        }
        try {
            return (WebSocketBase) WEB_SOCKET.invoke((WebSocketConnectionBase) connection);
        } catch (Throwable e) {
            return null;
        }
    }

    private static MethodHandle resolve() {
        try {
            return MethodHandles.privateLookupIn(WebSocketConnectionBase.class, MethodHandles.lookup())
                    .findVirtual(WebSocketConnectionBase.class, "webSocket", MethodType.methodType(WebSocketBase.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Log.warnf("Writing frames directly to the WebSocket is not possible with this Quarkus version (%s); "
                    + "falling back to WebSocketConnection.sendText", e.toString());
            return null;
        }
    }
}
