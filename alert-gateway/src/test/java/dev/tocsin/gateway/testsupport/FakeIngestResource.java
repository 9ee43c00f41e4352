package dev.tocsin.gateway.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for alert-ingest's REST API at the HTTP boundary (an external service to this module): a real Vert.x
 * HTTP server answering {@code POST /api/v1/alerts/{id}/ack} and {@code /clear} like the agreed contract, chosen by
 * the alert id ({@code known-*} 200, {@code missing-*} 404, {@code denied-*} 403, {@code broken-*} 500,
 * {@code stale-*} 401, {@code hangup-*} connection closed without answer). Every request is recorded and can be
 * read back over HTTP ({@code GET /_log}), so tests see what the gateway really sent, bearer token included.
 */
public class FakeIngestResource implements QuarkusTestResourceLifecycleManager {

    private Vertx vertx;
    private final JsonArray log = new JsonArray();

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
                json(request, 200, new JsonObject().put("cleared", 2));
                return;
            }
            String[] parts = path.split("/");
            if (parts.length == 6 && path.startsWith("/api/v1/alerts/") && path.endsWith("/ack")) {
                String id = parts[4];
                if (id.startsWith("known")) {
                    json(request, 200, new JsonObject().put("id", id).put("acknowledgedBy", "someone"));
                } else if (id.startsWith("missing")) {
                    problem(request, 404, "alert not found");
                } else if (id.startsWith("denied")) {
                    problem(request, 403, "forbidden");
                } else if (id.startsWith("broken")) {
                    problem(request, 500, "internal");
                } else if (id.startsWith("stale")) {
                    request.response().setStatusCode(401).end();
                } else if (id.startsWith("hangup")) {
                    request.connection().close();
                } else {
                    problem(request, 404, "alert not found");
                }
                return;
            }
            problem(request, 404, "no such route");
        });
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
