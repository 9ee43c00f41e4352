package dev.tocsin.gateway.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.WebSocketConnectionBase;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

/**
 * Writes one connection's frames to its socket: the shared UTF-8 bytes of a frame encoded once go straight to the
 * Vert.x WebSocket under the websockets-next connection. {@code WebSocketConnection.sendText} would encode the string
 * to UTF-8 again for each connection and wrap every write in a Mutiny {@code Uni} with context propagation, which
 * together cost more than the socket write itself on the fan-out path (see docs/benchmarks.md).
 *
 * <p>The only class of the gateway that reaches into websockets-next's and Vert.x's internals for writing
 * ({@code ArchitectureTest} keeps it so). websockets-next keeps the socket behind a package-private accessor; it is
 * looked up once. If a Quarkus upgrade removes it, {@link #directWritesAvailable()} turns false, a warning is logged
 * once and every write goes through {@code sendText} (slower, same behaviour); {@code SocketWriterTest} fails first,
 * so the upgrade is noticed. A frame larger than {@link #MAX_DIRECT_FRAME_BYTES} also goes through {@code sendText},
 * which fragments large messages as Vert.x does. Frames written directly bypass websockets-next's traffic logging and
 * its per-message telemetry interceptor, which the gateway does not enable.
 *
 * <p>In a native executable the accessor is not looked up at all and every frame goes through {@code sendText}:
 * the private member would have to be registered for reflection, and the direct path was measured on the JVM only.
 * The package-private constructor forces the same fallback in tests ({@code SocketWriterFallbackTest}).
 */
public final class SocketWriter<F extends TextFrame> implements Transport<F> {

    /** Vert.x's default largest WebSocket frame; larger messages are left to {@code sendText}, which fragments them. */
    public static final int MAX_DIRECT_FRAME_BYTES = 65_536;

    /**
     * What {@code org.graalvm.nativeimage.ImageInfo.inImageCode()} reads (that API is not on the class path): set
     * while native-image builds the executable and in the executable itself.
     */
    private static final boolean IN_NATIVE_IMAGE = System.getProperty("org.graalvm.nativeimage.imagecode") != null;

    /** Null in a native executable (see above) or when this Quarkus version has no such accessor. */
    private static final MethodHandle WEB_SOCKET = IN_NATIVE_IMAGE ? null : resolve();

    private final WebSocketConnection connection;
    /** The Vert.x socket for direct writes; null: use {@code sendText}. */
    private final WebSocketBase socket;
    private final Listener<F> listener;

    public SocketWriter(WebSocketConnection connection, Listener<F> listener) {
        this(connection, listener, true);
    }

    /** {@code direct} false: every frame through {@code sendText}, as a native executable writes them. */
    SocketWriter(WebSocketConnection connection, Listener<F> listener, boolean direct) {
        this.connection = connection;
        this.listener = listener;
        this.socket = direct ? socketOf(connection) : null;
        if (socket != null) {
            socket.drainHandler(ignored -> listener.drained());
            releaseHandshakeHeaders(socket);
        }
    }

    /**
     * Empties the upgrade request's headers, which the Vert.x socket keeps for the connection's life: six entries
     * with their names and values, about 0.6 KiB of heap per idle connection (docs/benchmarks.md, issue #21).
     * websockets-next copied them into the connection's {@code handshakeRequest()} before {@code @OnOpen}, and the
     * gateway reads no header after the upgrade; the writer is made in {@code @OnOpen}, once the upgrade is done.
     */
    private static void releaseHandshakeHeaders(WebSocketBase socket) {
        if (socket instanceof ServerWebSocket server) {
            try {
                server.headers().clear();
            } catch (RuntimeException e) {
                // a read-only map (another Vert.x version): keep it, only heavier
            }
        }
    }

    /** Whether frames can be written directly: with this Quarkus version, and not in a native executable. */
    public static boolean directWritesAvailable() {
        return WEB_SOCKET != null;
    }

    @Override
    public boolean bufferFull() {
        if (socket == null) {
            return false;
        }
        try {
            return socket.writeQueueFull();
        } catch (IllegalStateException closed) {
            // Vert.x throws for a closed socket: let the write fail (and be counted) until @OnClose retires it.
            return false;
        }
    }

    @Override
    public void write(F frame, byte[] tail) {
        byte[] bytes = socket == null ? null : frame.utf8();
        if (bytes != null && bytes.length + (tail == null ? 0 : tail.length) <= MAX_DIRECT_FRAME_BYTES) {
            Throwable failure;
            try {
                // The shared bytes, wrapped (not copied); the encoder copies them into the socket's buffer.
                Future<Void> result = socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT,
                        content(bytes, tail), true));
                // Handed to the socket on its own loop: reported as written now (a closed socket fails at once).
                // Back-pressure comes from the socket's writability, so waiting for the flush would only add a task
                // hop per frame.
                failure = result.failed() ? result.cause() : null;
            } catch (RuntimeException e) {
                failure = e;
            }
            listener.written(frame, failure);
            return;
        }
        String text = tail == null ? frame.text()
                : frame.text().substring(0, frame.text().length() - 1) + new String(tail, StandardCharsets.UTF_8);
        try {
            connection.sendText(text).subscribe().with(
                    ignored -> listener.written(frame, null),
                    failure -> listener.written(frame, failure));
        } catch (RuntimeException e) {
            listener.written(frame, e);
        }
    }

    /**
     * The shared bytes as they are (wrapped, not copied), or (with a tail) all but their closing brace followed by the
     * tail, copied into one array. One copy either way: Vert.x copies a composite or pooled buffer into a fresh heap
     * buffer before encoding ({@code VertxHandler.safeBuffer}), so referencing the shared part from a composite saved
     * nothing and cost the composite, its components and three wrappers per write (docs/benchmarks.md, issue #21).
     */
    static ByteBuf content(byte[] bytes, byte[] tail) {
        if (tail == null) {
            return Unpooled.wrappedBuffer(bytes);
        }
        int shared = bytes.length - 1;
        byte[] joined = new byte[shared + tail.length];
        System.arraycopy(bytes, 0, joined, 0, shared);
        System.arraycopy(tail, 0, joined, shared, tail.length);
        return Unpooled.wrappedBuffer(joined);
    }

    /** The connection's Vert.x WebSocket, or null when it cannot be reached (then use {@code sendText}). */
    private static WebSocketBase socketOf(WebSocketConnection connection) {
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
