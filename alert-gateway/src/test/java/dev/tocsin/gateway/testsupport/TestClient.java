package dev.tocsin.gateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tocsin.protocol.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** A real WebSocket client (the JDK's) that collects text frames; waits are bounded by deadlines. */
public final class TestClient implements WebSocket.Listener, AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    /** Entries of an {@code alert_batch} read by {@link #next(String) next("alert")}, handed out one by one. */
    private final Deque<JsonNode> unpacked = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    /** Heartbeat pings {@link #next(String)} skipped: frames the server sent that a test asking for another type never sees. */
    private int skippedPings;
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private WebSocket socket;

    private TestClient() {
    }

    /** Connects; the customizer sets headers or subprotocols. Fails the test when the handshake is refused. */
    public static TestClient connect(URI uri, Consumer<WebSocket.Builder> customizer) {
        try {
            return tryConnect(uri, customizer);
        } catch (ExecutionException e) {
            throw new AssertionError("handshake failed: " + e.getCause(), e.getCause());
        }
    }

    /** Connects with {@code Authorization: Bearer <token>}. */
    public static TestClient connect(URI uri, String token) {
        return connect(uri, b -> b.header("Authorization", "Bearer " + token));
    }

    /** The HTTP status of a refused handshake (fails the test if it was accepted). */
    public static int refusedStatus(URI uri, Consumer<WebSocket.Builder> customizer) {
        try (TestClient accepted = tryConnect(uri, customizer)) {
            fail("handshake was accepted: " + accepted.socket.getSubprotocol());
            return -1;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException wse) {
                return wse.getResponse().statusCode();
            }
            throw new AssertionError("unexpected failure: " + e.getCause(), e.getCause());
        }
    }

    /** The refused handshake's exception (status, headers, body); fails the test if it was accepted. */
    public static WebSocketHandshakeException refusal(URI uri, String token) {
        return refusal(uri, b -> b.header("Authorization", "Bearer " + token));
    }

    /** Like {@link #refusal(URI, String)}, with the handshake built by the customizer (headers, subprotocols). */
    public static WebSocketHandshakeException refusal(URI uri, Consumer<WebSocket.Builder> customizer) {
        try (TestClient accepted = tryConnect(uri, customizer)) {
            fail("handshake was accepted");
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException wse) {
                return wse;
            }
            throw new AssertionError("unexpected failure: " + e.getCause(), e.getCause());
        }
    }

    /** The body of a refused handshake as text, or "" when the client kept none. */
    public static String body(WebSocketHandshakeException refusal) {
        Object body = refusal.getResponse().body();
        if (body instanceof byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return body == null ? "" : body.toString();
    }

    private static TestClient tryConnect(URI uri, Consumer<WebSocket.Builder> customizer) throws ExecutionException {
        TestClient client = new TestClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        customizer.accept(builder);
        try {
            client.socket = builder.buildAsync(uri, client).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("handshake did not complete", e);
        }
        return client;
    }

    public WebSocket socket() {
        return socket;
    }

    /** The next frame as JSON; fails when none arrives in time. */
    public JsonNode next() {
        if (!unpacked.isEmpty()) {
            return unpacked.poll();
        }
        return Json.tree(nextText());
    }

    /**
     * The next frame exactly as it arrived (the entries of a batch that {@link #next(String) next("alert")} unpacked
     * are not returned here); fails when none arrives in time.
     */
    public String nextText() {
        try {
            String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(frame, "no frame within " + WAIT);
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The next frame, which must be of the given type. Server heartbeats ({@code ping}, every interval on a timer
     * shared by all connections) are skipped unless a ping is what is asked for: they can fall between any two frames.
     */
    public JsonNode next(String type) {
        JsonNode frame = next();
        while (!"ping".equals(type) && "ping".equals(frame.path("type").asText())) {
            skippedPings++;
            frame = next();
        }
        if ("alert".equals(type) && "alert_batch".equals(frame.path("type").asText())) {
            frame = unpack(frame);
        }
        JsonNode found = frame;
        assertEquals(type, found.path("type").asText(), () -> "unexpected frame " + found);
        return found;
    }

    /**
     * Critical alerts published back to back may reach the gateway's event loop together and then leave as one
     * {@code alert_batch} (docs/protocol.md, "Priority routing"), whose entries are {@code alert} frames without
     * {@code type} and {@code v}. A test that reads alerts one at a time gets those entries as the {@code alert}
     * frames they stand for, in order; the first now, the others on the next calls.
     */
    private JsonNode unpack(JsonNode batch) {
        for (JsonNode entry : batch.path("alerts")) {
            ObjectNode alert = Json.mapper().createObjectNode();
            alert.put("type", "alert");
            alert.set("v", batch.path("v"));
            alert.setAll((ObjectNode) entry);
            unpacked.add(alert);
        }
        assertFalse(unpacked.isEmpty(), () -> "an empty alert_batch: " + batch);
        return unpacked.poll();
    }

    /** How many heartbeat pings {@link #next(String)} has skipped so far. */
    public int skippedPings() {
        return skippedPings;
    }

    /** The next frame of the given type, skipping server heartbeats ({@code ping}) on the way. */
    public JsonNode nextSkippingPings(String type) {
        JsonNode frame = next();
        while ("ping".equals(frame.path("type").asText()) && !"ping".equals(type)) {
            frame = next();
        }
        JsonNode found = frame;
        assertEquals(type, found.path("type").asText(), () -> "unexpected frame " + found);
        return found;
    }

    /** Sends a request and returns the next frame. */
    public JsonNode request(String json) {
        send(json);
        return next();
    }

    /** Reads and checks the greeting. */
    public JsonNode established() {
        return next("connection_established");
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Sends a ping and expects the matching pong as the next frame. */
    public void assertPingPong(String id) {
        send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        JsonNode pong = next("pong");
        assertEquals(id, pong.path("ref").asText());
    }

    /** Like {@link #assertPingPong} on a connection that also receives server pings. */
    public void assertPingPongSkippingPings(String id) {
        send("{\"type\":\"ping\",\"id\":\"" + id + "\"}");
        JsonNode pong = nextSkippingPings("pong");
        assertEquals(id, pong.path("ref").asText());
    }

    /** The close code the server sent; fails when the connection is not closed in time. */
    public int awaitClosed() {
        try {
            return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed in time", e);
        }
    }

    public boolean isOpen() {
        return !closeCode.isDone() && !socket.isInputClosed();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        if (socket != null) {
            socket.abort();
        }
    }
}
