package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A client as docs/protocol.md asks of one, and nothing more: it keeps the last {@code cursor} the gateway gave it,
 * reconnects with backoff when the connection drops (or when told to go away), and asks for what it missed with
 * {@code sync {since: cursor, epoch}}. It keeps no memory of the sequence numbers it holds, so a replayed frame it
 * already had counts as a duplicate and a frame the cursor skipped counts as missing. It records every alert it
 * receives, keyed by the test's own number in the alert's metadata.
 */
final class ResilientClient implements AutoCloseable {

    private final String name;
    private final Supplier<String> gatewayUrl;
    private final Supplier<String> token;
    private final Supplier<String> ingestUrl;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, AtomicInteger> byAlertId = new ConcurrentHashMap<>();
    private final Map<Long, String> numbers = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> seqsByPriority = new ConcurrentHashMap<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger reloads = new AtomicInteger();
    private volatile String lastCreatedAt;
    private volatile WebSocket socket;
    /** The last cursor the gateway gave (opaque), in {@link #epoch}; null before the first. */
    private volatile String cursor;
    private volatile String epoch;
    private volatile boolean paused;
    private volatile boolean closed;

    ResilientClient(String name, Supplier<String> gatewayUrl, Supplier<String> ingestUrl, Supplier<String> token) {
        this.name = name;
        this.gatewayUrl = gatewayUrl;
        this.ingestUrl = ingestUrl;
        this.token = token;
    }

    ResilientClient start() {
        connect();
        return this;
    }

    /** Drops the connection and stays away until {@link #resume()}. */
    void pause() {
        paused = true;
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }

    void resume() {
        paused = false;
        connect();
    }

    int connects() {
        return connects.get();
    }

    boolean isConnected() {
        WebSocket current = socket;
        return current != null && !current.isInputClosed();
    }

    /** How many times each alert id arrived (more than once is a duplicate). */
    Map<String, AtomicInteger> byAlertId() {
        return byAlertId;
    }

    /** Whether an alert carrying this test number arrived. */
    boolean hasNumber(long number) {
        return numbers.containsKey(number);
    }

    /**
     * Sequence numbers of the alerts of each epoch and priority in arrival order (order holds within a priority of
     * one epoch; a new epoch starts again at 1).
     */
    Map<String, List<Long>> seqsByPriority() {
        Map<String, List<Long>> copy = new java.util.HashMap<>();
        seqsByPriority.forEach((priority, seqs) -> {
            synchronized (seqs) {
                copy.put(priority, List.copyOf(seqs));
            }
        });
        return copy;
    }

    String name() {
        return name;
    }

    private void connect() {
        if (closed || paused) {
            return;
        }
        HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token.get())
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(gatewayUrl.get()), new Listener())
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        reconnectLater();
                        return;
                    }
                    socket = ws;
                    connects.incrementAndGet();
                    if (cursor != null) {
                        // Resuming: the first message, with the stored cursor (not the new greeting's).
                        // includeAcknowledged: this client counts every alert it is entitled to, also those
                        // acknowledged while it was away (without it the replay leaves out their alert frames,
                        // docs/protocol.md, and the fault test acknowledges some)
                        Map<String, Object> sync = new java.util.HashMap<>(Map.of("type", "sync",
                                "id", "resync-" + connects.get(), "since", cursor, "includeAcknowledged", true));
                        if (epoch != null) {
                            sync.put("epoch", epoch);
                        }
                        ws.sendText(Json.encode(sync), true);
                    }
                });
    }

    private void reconnectLater() {
        if (!closed && !paused) {
            scheduler.schedule(this::connect, 300, TimeUnit.MILLISECONDS);
        }
    }

    private void onFrame(JsonNode frame) {
        String type = frame.path("type").asText();
        switch (type) {
            case "alert" -> onAlert(frame, frame.path("epoch").asText(null));
            case "alert_batch" -> frame.path("alerts").forEach(alert -> onAlert(alert, frame.path("epoch").asText(null)));
            case "connection_established" -> {
                if (cursor == null) {
                    keepCursor(frame); // a fresh start begins at the greeting's cursor
                }
                return;
            }
            case "sync_response" -> {
                if (!frame.path("recovered").asBoolean()) {
                    // what the protocol asks of a client the history cannot serve: reload over REST
                    reload();
                }
            }
            default -> {
            }
        }
        keepCursor(frame);
    }

    /** The protocol's one rule for resuming: keep the cursor (and its epoch) of every frame that carries one. */
    private void keepCursor(JsonNode frame) {
        if (frame.has("cursor")) {
            epoch = frame.path("epoch").asText(null);
            cursor = frame.path("cursor").asText();
        }
    }

    private void onAlert(JsonNode alert, String frameEpoch) {
        long seq = alert.path("seq").asLong(-1);
        List<Long> seqs = seqsByPriority.computeIfAbsent(frameEpoch + "/" + alert.at("/alert/priority").asText(),
                p -> java.util.Collections.synchronizedList(new ArrayList<>()));
        seqs.add(seq);
        String alertId = alert.path("alertId").asText();
        byAlertId.computeIfAbsent(alertId, id -> new AtomicInteger()).incrementAndGet();
        record(alertId, alert.get("alert"));
    }

    private void record(String alertId, JsonNode alert) {
        JsonNode number = alert == null ? null : alert.at("/metadata/testNumber");
        if (number != null && !number.isMissingNode()) {
            numbers.put(number.asLong(), alertId);
        }
        if (alert != null && alert.hasNonNull("createdAt")) {
            lastCreatedAt = alert.get("createdAt").asText();
        }
    }

    /**
     * Reads the alerts created since the last one seen over REST; counts only those not seen before (a reload is a
     * fresh start: it overlaps what the client holds by nature). The sync_response's cursor is kept after it.
     */
    private void reload() {
        reloads.incrementAndGet();
        String since = lastCreatedAt == null ? "1970-01-01T00:00:00Z" : lastCreatedAt;
        try {
            for (int page = 0; ; page++) {
                java.net.http.HttpResponse<String> response = HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(URI.create(ingestUrl.get() + "/api/v1/alerts?size=200&page="
                                        + page + "&since=" + since))
                                .header("Authorization", "Bearer " + token.get()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                JsonNode items = Json.tree(response.body()).path("items");
                for (JsonNode alert : items) {
                    String alertId = alert.path("id").asText();
                    if (byAlertId.putIfAbsent(alertId, new AtomicInteger(1)) == null) {
                        record(alertId, alert);
                    }
                }
                if (items.size() < 200) {
                    break;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(name + ": reload over REST failed", e);
        }
    }

    int reloads() {
        return reloads.get();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                onFrame(Json.tree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            reconnectLater();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            reconnectLater();
        }
    }
}
