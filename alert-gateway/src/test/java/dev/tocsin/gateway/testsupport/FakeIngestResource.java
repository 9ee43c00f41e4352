package dev.tocsin.gateway.testsupport;

import dev.tocsin.protocol.alert.AlertHeaders;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for alert-ingest's REST API at the HTTP boundary (an external service to this module): a real Vert.x
 * HTTP server answering {@code POST /api/v1/alerts/{id}/ack} and {@code /clear} like the agreed contract, chosen by
 * the alert id ({@code known-*} 200, {@code legacy-*} 200 as an ingest older than protocol v1.1 answers,
 * {@code missing-*} 404, {@code denied-*} 403, {@code broken-*} 500, {@code stale-*} 401, {@code hangup-*} connection
 * closed without answer). Every request is recorded and can be read back over HTTP ({@code GET /_log}), so tests see
 * what the gateway really sent, bearer token included.
 *
 * <p>It keeps ingest's state where the answers depend on it. An ack, like ingest's, is idempotent: the first one (by
 * the token's {@code upn}) is stored and wins, every ack answers the alert with the stored acknowledgment, and the
 * {@code Tocsin-Already-Acknowledged} header says {@code false} for the first, {@code true} afterwards
 * ({@code legacy-*}: no header). A clear answers {@code {"cleared":2}} the first time its criteria are sent (they
 * stand for two matching active alerts) and {@code {"cleared":0}} when the same criteria come again, as repeating a
 * clear changes nothing in ingest; tests use criteria of their own. A clear by {@code ids} counts the ids (a repeated
 * one once) that no earlier clear by id named: any id stands for an active alert the caller sees.
 *
 * <p>The other life-cycle routes ({@code POST /resolve}, {@code DELETE /ack}, {@code POST /assign},
 * {@code DELETE /assignee}, {@code POST /notes}) answer a {@code known-*} alert as ingest would (the alert after the
 * change, or the note), and the same failures by id, plus {@code closed-*} 409 and {@code invalid-*} 400.
 */
public class FakeIngestResource implements QuarkusTestResourceLifecycleManager {

    static final String ALREADY_ACKNOWLEDGED = AlertHeaders.ALREADY_ACKNOWLEDGED;

    /** Life-cycle routes besides the ack, as "METHOD last-path-segment". */
    private static final Set<String> LIFECYCLE = Set.of("POST resolve", "DELETE ack", "POST assign", "DELETE assignee",
            "POST notes");

    private Vertx vertx;
    private final JsonArray log = new JsonArray();
    /** Alert id → the stored acknowledgment ({@code acknowledgedBy}, {@code acknowledgedAt}). */
    private final Map<String, JsonObject> acknowledgments = new ConcurrentHashMap<>();
    /** Criteria bodies already cleared. */
    private final Set<String> clearedCriteria = ConcurrentHashMap.newKeySet();
    /** Alert ids already cleared by id. */
    private final Set<String> clearedIds = ConcurrentHashMap.newKeySet();

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake ingest did not start", e);
        }
        return Map.of("tocsin.gateway.ingest-url", "http://127.0.0.1:" + server.actualPort(),
                "tocsin.gateway.ingest-timeout", "2s");
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            String path = request.path();
            if (path.equals("/_log")) {
                synchronized (log) {
                    request.response().putHeader("Content-Type", "application/json").end(log.encode());
                }
                return;
            }
            JsonObject entry = new JsonObject().put("method", request.method().name()).put("path", path)
                    .put("authorization", request.getHeader("Authorization"))
                    .put("contentType", request.getHeader("Content-Type"))
                    .put("body", body == null ? "" : body.toString());
            synchronized (log) {
                log.add(entry);
            }
            if (path.equals("/api/v1/alerts/clear") && request.method().name().equals("POST")) {
                JsonArray ids = body == null ? null : body.toJsonObject().getJsonArray("ids");
                if (ids != null) {
                    json(request, 200, new JsonObject().put("cleared", clearIds(ids)));
                    return;
                }
                boolean first = clearedCriteria.add(body == null ? "" : body.toString());
                json(request, 200, new JsonObject().put("cleared", first ? 2 : 0));
                return;
            }
            String[] parts = path.split("/");
            if (parts.length == 6 && path.startsWith("/api/v1/alerts/")) {
                String id = parts[4];
                String action = request.method().name() + " " + parts[5];
                if (!id.startsWith("known") && !id.startsWith("legacy")) {
                    failure(request, id);
                } else if (action.equals("POST ack")) {
                    acknowledge(request, id, id.startsWith("known"));
                } else if (LIFECYCLE.contains(action)) {
                    lifecycle(request, id, action, body == null || body.length() == 0 ? new JsonObject()
                            : body.toJsonObject());
                } else {
                    problem(request, 404, "no such route");
                }
                return;
            }
            problem(request, 404, "no such route");
        });
    }

    /** The answer of an alert id that stands for a failure: see the class comment. */
    private static void failure(HttpServerRequest request, String id) {
        if (id.startsWith("denied")) {
            problem(request, 403, "forbidden");
        } else if (id.startsWith("broken")) {
            problem(request, 500, "internal");
        } else if (id.startsWith("stale")) {
            request.response().setStatusCode(401).end();
        } else if (id.startsWith("hangup")) {
            request.connection().close();
        } else if (id.startsWith("closed")) {
            problem(request, 409, "conflict");
        } else if (id.startsWith("invalid")) {
            problem(request, 400, "bad request");
        } else {
            problem(request, 404, "alert not found"); // missing-*, and any other id
        }
    }

    /**
     * The other life-cycle routes of a {@code known-*} alert, answered like ingest: the alert as stored after the
     * request (version 3), or for a note 201 with the note.
     */
    private static void lifecycle(HttpServerRequest request, String id, String action, JsonObject body) {
        String user = userOf(request.getHeader("Authorization"));
        if (action.equals("POST notes")) {
            json(request, 201, new JsonObject().put("id", "note-" + id).put("author", user)
                    .put("at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString())
                    .put("text", body.getString("text")));
            return;
        }
        JsonObject alert = new JsonObject().put("id", id).put("priority", "critical").put("type", "outbreak_risk")
                .put("title", "Title " + id).put("message", "Message for " + id).put("source", "fake-ingest")
                .put("audience", new JsonObject().put("everyone", true)).put("status", "active").put("version", 3)
                .put("actionRequired", false).put("createdAt", "2026-12-04T10:00:00Z")
                .put("updatedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        switch (action) {
            case "POST resolve" -> alert.put("status", "resolved").put("resolvedBy", user)
                    .put("resolution", body.getString("note")).put("lastChange", "resolved");
            case "DELETE ack" -> alert.put("lastChange", "unacknowledged");
            case "POST assign" -> alert.put("assignee", new JsonObject()
                            .put("kind", body.containsKey("user") ? "user" : "group")
                            .put("id", body.containsKey("user") ? body.getString("user") : body.getString("group")))
                    .put("assignedBy", user).put("lastChange", "assigned");
            default -> alert.put("assignedBy", user).put("lastChange", "assigned"); // DELETE assignee
        }
        json(request, 200, alert);
    }

    /** Clearing by id: each id stands for an active alert the caller sees until it has been cleared once. */
    private long clearIds(JsonArray ids) {
        return ids.stream().map(String::valueOf).distinct().filter(clearedIds::add).count();
    }

    /** 200 with the alert as ingest stores it after the (first) acknowledgment; version 1 when created, 2 acked. */
    private void acknowledge(HttpServerRequest request, String id, boolean withHeader) {
        JsonObject candidate = new JsonObject().put("acknowledgedBy", userOf(request.getHeader("Authorization")))
                .put("acknowledgedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        JsonObject earlier = acknowledgments.putIfAbsent(id, candidate); // the first acknowledgment wins
        boolean already = earlier != null;
        JsonObject stored = already ? earlier : candidate;
        JsonObject alert = new JsonObject().put("id", id).put("priority", "critical").put("type", "outbreak_risk")
                .put("title", "Title " + id).put("message", "Message for " + id).put("source", "fake-ingest")
                .put("audience", new JsonObject().put("everyone", true)).put("status", "active")
                .put("acknowledgedBy", stored.getString("acknowledgedBy"))
                .put("acknowledgedAt", stored.getString("acknowledgedAt"))
                .put("lastChange", "acknowledged").put("version", 2);
        if (withHeader) {
            request.response().putHeader(ALREADY_ACKNOWLEDGED, Boolean.toString(already));
        }
        json(request, 200, alert);
    }

    /** The token's {@code upn} (ingest verifies the token; the gateway's tests only ever send valid ones). */
    private static String userOf(String authorization) {
        String[] jwt = authorization.substring("Bearer ".length()).split("\\.");
        byte[] claims = Base64.getUrlDecoder().decode(jwt[1]);
        return new JsonObject(new String(claims, StandardCharsets.UTF_8)).getString("upn");
    }

    private static void json(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static void problem(HttpServerRequest request, int status, String title) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject().put("title", title).put("status", status).encode());
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
