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
 * A client as a well-behaved app is: it remembers the last sequence it saw, reconnects with backoff when the
 * connection drops (or when told to go away), and asks for what it missed with {@code sync}. It records every
 * alert it receives, keyed by the test's own number in the alert's metadata, to count duplicates and holes.
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
    private volatile long lastSeq = -1;
    /** When each alert seq arrived (nanoTime), to pick a safe resume point; see {@link #resumePoint()}. */
    private final java.util.NavigableMap<Long, Long> arrivals = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicInteger replayedAgain = new AtomicInteger();
    private volatile long disconnectedAt;
    private volatile String epoch;
    /** Epochs this client has left: their positions say nothing about the current sequence. */
    private final java.util.Set<String> retiredEpochs = ConcurrentHashMap.newKeySet();
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
        disconnectedAt = System.nanoTime();
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
                    if (lastSeq >= 0) {
                        ws.sendText(Json.encode(Map.of("type", "sync", "id", "resync-" + connects.get(),
                                "since", resumePoint(), "epoch", epoch)), true);
                    }
                });
    }

    /**
     * Where to resume, as docs/protocol.md asks of a client: lower priorities are batched (up to the batch window)
     * while a critical alert goes out at once, so the newest seq seen is not proof that everything before it
     * arrived. Resume from the newest seq that arrived at least {@link #RESUME_MARGIN_NANOS} before the connection
     * was lost, and drop the replayed frames already held (by seq).
     */
    private long resumePoint() {
        long cutoff = disconnectedAt - RESUME_MARGIN_NANOS;
        long point = -1;
        for (Map.Entry<Long, Long> arrival : arrivals.entrySet()) {
            if (arrival.getValue() <= cutoff) {
                point = Math.max(point, arrival.getKey());
            }
        }
        return point >= 0 ? point : Math.max(0, arrivals.isEmpty() ? lastSeq : arrivals.firstKey() - 1);
    }

    private static final long RESUME_MARGIN_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    /** Frames the server replayed after a resume that this client already had (dropped by seq, as a client should). */
    int replayedAgain() {
        return replayedAgain.get();
    }

    private void reconnectLater() {
        if (!closed && !paused) {
            scheduler.schedule(this::connect, 300, TimeUnit.MILLISECONDS);
        }
    }

    private void onFrame(JsonNode frame) {
        String type = frame.path("type").asText();
        switch (type) {
            case "alert" -> onAlert(frame);
            case "alert_batch" -> frame.path("alerts").forEach(this::onAlert);
            case "connection_established" -> {
                if (lastSeq < 0 && frame.has("seq")) {
                    adoptEpoch(frame.path("epoch").asText(null));
                    lastSeq = frame.path("seq").asLong();
                }
            }
            case "sync_response" -> {
                if (!frame.path("recovered").asBoolean()) {
                    // what the protocol asks of a client the history cannot serve: reload over REST
                    reload(frame);
                }
            }
            default -> {
            }
        }
    }

    private void onAlert(JsonNode alert) {
        long seq = alert.path("seq").asLong(-1);
        String alertEpoch = alert.path("epoch").asText(null);
        if (alertEpoch != null && retiredEpochs.contains(alertEpoch)) {
            return; // a position of a sequence that has started over: not comparable with the current one
        }
        adoptEpoch(alertEpoch);
        if (seq > 0 && arrivals.putIfAbsent(seq, System.nanoTime()) != null) {
            replayedAgain.incrementAndGet(); // replayed after a resume point before this seq: already held
            return;
        }
        if (seq > lastSeq) {
            lastSeq = seq;
        }
        List<Long> seqs = seqsByPriority.computeIfAbsent(epoch + "/" + alert.at("/alert/priority").asText(),
                p -> java.util.Collections.synchronizedList(new ArrayList<>()));
        seqs.add(seq);
        String alertId = alert.path("alertId").asText();
        byAlertId.computeIfAbsent(alertId, id -> new AtomicInteger()).incrementAndGet();
        record(alertId, alert.get("alert"));
    }

    /** Positions are (epoch, seq): when the sequence started over, what this client held of the old one is dropped. */
    private void adoptEpoch(String newEpoch) {
        if (newEpoch == null || newEpoch.equals(epoch)) {
            return;
        }
        if (epoch != null) {
            retiredEpochs.add(epoch);
            arrivals.clear();
            lastSeq = -1;
        }
        epoch = newEpoch;
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

    /** Reads the alerts created since the last one seen over REST; counts only those not seen before. */
    private void reload(JsonNode syncResponse) {
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
        if (syncResponse.has("seq")) {
            adoptEpoch(syncResponse.path("epoch").asText(null));
            lastSeq = syncResponse.path("seq").asLong();
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
            disconnectedAt = System.nanoTime();
            reconnectLater();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            disconnectedAt = System.nanoTime();
            reconnectLater();
        }
    }
}
