package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** A WebSocket client as an app would be: JDK client, one of the three token transports, records every frame. */
final class WsClient implements AutoCloseable {

    enum TokenTransport { HEADER, SUBPROTOCOL, QUERY }

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(WebSocket.Builder builder, URI uri) {
        this.socket = builder.buildAsync(uri, new Listener()).join();
    }

    static WsClient connect(String wsUrl, String token, TokenTransport transport) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10));
        URI uri = URI.create(wsUrl);
        switch (transport) {
            case HEADER -> builder.header("Authorization", "Bearer " + token);
            case SUBPROTOCOL -> builder.subprotocols("bearer-token-carrier",
                    "quarkus-http-upgrade#Authorization#" + URLEncoder.encode("Bearer " + token, StandardCharsets.UTF_8)
                            .replace("+", "%20"));
            case QUERY -> uri = URI.create(wsUrl + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        }
        return new WsClient(builder, uri);
    }

    /** Every frame so far, in arrival order. */
    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** Frames of one type, in arrival order. */
    List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    /**
     * Every alert received, in arrival order, whether it came alone ({@code alert}) or batched
     * ({@code alert_batch} entries carry the same fields without {@code type}).
     */
    List<JsonNode> alerts() {
        List<JsonNode> alerts = new java.util.ArrayList<>();
        for (JsonNode frame : frames) {
            switch (frame.path("type").asText()) {
                case "alert" -> alerts.add(frame);
                case "alert_batch" -> frame.path("alerts").forEach(alerts::add);
                default -> {
                }
            }
        }
        return alerts;
    }

    /** Whether {@code frame} carries alert {@code alertId}: an {@code alert} frame for it, or a batch holding it. */
    static boolean holdsAlert(JsonNode frame, String alertId) {
        if ("alert".equals(frame.path("type").asText())) {
            return alertId.equals(frame.path("alertId").asText());
        }
        if ("alert_batch".equals(frame.path("type").asText())) {
            for (JsonNode entry : frame.path("alerts")) {
                if (alertId.equals(entry.path("alertId").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    List<JsonNode> awaitAlerts(int count, Duration timeout) {
        await().atMost(timeout).until(() -> alerts().size() >= count);
        return alerts();
    }

    List<JsonNode> awaitOfType(String type, int count, Duration timeout) {
        await().atMost(timeout).until(() -> ofType(type).size() >= count);
        return ofType(type);
    }

    JsonNode awaitFirst(Predicate<JsonNode> predicate, Duration timeout) {
        return await().atMost(timeout).until(() -> frames.stream().filter(predicate).findFirst().orElse(null),
                frame -> frame != null);
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** The close code the server sent (-1 for a failure), or null while open. */
    Integer closeCode() {
        return closed.getNow(null);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(Json.tree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
