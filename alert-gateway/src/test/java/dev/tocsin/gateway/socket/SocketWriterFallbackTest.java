package dev.tocsin.gateway.socket;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The path a native executable takes (and the JVM when the accessor is gone): every frame through
 * {@code WebSocketConnection.sendText}, forced here with the package-private constructor. The text sent must be what
 * the direct path writes as bytes (the shared frame, or its closing brace replaced by the connection's tail), and the
 * listener must hear the same outcomes.
 */
class SocketWriterFallbackTest {

    private record Frame(String text) implements TextFrame {
        @Override
        public byte[] utf8() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final List<String> sent = new ArrayList<>();
    private final List<Frame> written = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();

    @Test
    void framesAreSentAsTextWithTheBytesTheDirectPathWouldWrite() {
        SocketWriter<Frame> writer = new SocketWriter<>(connection(null), listener(), false);
        Frame frame = new Frame("{\"type\":\"alert\",\"title\":\"Überflutung ✓\"}");
        byte[] tail = ",\"cursor\":\"42\"}".getBytes(StandardCharsets.UTF_8);

        assertFalse(writer.bufferFull(), "sendText has no buffer to report");
        writer.write(frame, null);
        writer.write(frame, tail);

        assertEquals(List.of(direct(frame, null), direct(frame, tail)), sent);
        assertEquals("{\"type\":\"alert\",\"title\":\"Überflutung ✓\",\"cursor\":\"42\"}", direct(frame, tail),
                "the tail replaces the closing brace, after the shared text's multi-byte characters");
        assertEquals(List.of(frame, frame), written);
        assertEquals(2, failures.size());
        assertNull(failures.get(0));
        assertNull(failures.get(1));
    }

    @Test
    void aFailedSendIsReportedToTheListener() {
        IllegalStateException closed = new IllegalStateException("closed");
        SocketWriter<Frame> writer = new SocketWriter<>(connection(closed), listener(), false);
        Frame frame = new Frame("{\"type\":\"ping\"}");

        writer.write(frame, null);

        assertEquals(List.of(frame), written);
        assertSame(closed, failures.get(0));
    }

    /** What the direct path hands to the socket, as text. */
    private static String direct(Frame frame, byte[] tail) {
        return SocketWriter.content(frame.utf8(), tail).toString(StandardCharsets.UTF_8);
    }

    private Transport.Listener<Frame> listener() {
        return new Transport.Listener<>() {
            @Override
            public void written(Frame frame, Throwable failure) {
                written.add(frame);
                failures.add(failure);
            }

            @Override
            public void drained() {
                throw new AssertionError("no drain without a socket");
            }
        };
    }

    /** A connection that records sendText(String) and answers it with success, or the given failure. */
    private WebSocketConnection connection(Throwable failure) {
        return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocketConnection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 1 && args[0] instanceof String text) {
                        sent.add(text);
                        return failure == null ? Uni.createFrom().voidItem() : Uni.createFrom().failure(failure);
                    }
                    if (method.getName().equals("toString")) {
                        return "test connection";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
