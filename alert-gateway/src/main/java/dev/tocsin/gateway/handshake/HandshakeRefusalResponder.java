package dev.tocsin.gateway.handshake;

import dev.tocsin.gateway.config.GatewayPaths;
import dev.tocsin.protocol.json.Json;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a refused handshake as an RFC 9457 problem: {@code HttpUpgradeCheck} can only set a status and headers, so
 * the admission check fails the request with a {@link HandshakeRefusedException} and this failure handler of the
 * WebSocket route answers with the status, {@code Retry-After}, {@code X-Tocsin-Refusal: <reason>} and a JSON body.
 */
@ApplicationScoped
public class HandshakeRefusalResponder {

    static final String REASON_HEADER = "X-Tocsin-Refusal";

    void register(@Observes Router router) {
        router.route(GatewayPaths.ALERTS).failureHandler(this::handle);
    }

    void handle(RoutingContext context) {
        if (!(context.failure() instanceof HandshakeRefusedException refusal) || context.response().ended()) {
            context.next();
            return;
        }
        write(context.response(), refusal);
    }

    /**
     * Answers with the refusal: its status, {@code X-Tocsin-Refusal}, {@code Retry-After} when it has one, and the
     * problem body. The one format of a refused handshake, also used by {@code GET /ws/alerts/check}.
     */
    static void write(HttpServerResponse target, HandshakeRefusedException refusal) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://tocsin.dev/problems/" + refusal.reason().replace('_', '-'));
        problem.put("title", refusal.status() == 429 ? "Too many connections"
                : refusal.status() == 503 ? "Gateway draining" : "Connection refused");
        problem.put("status", refusal.status());
        problem.put("detail", refusal.getMessage());
        problem.put("reason", refusal.reason());
        if (refusal.retryAfterSeconds() != null) {
            problem.put("retryAfterSeconds", refusal.retryAfterSeconds());
        }
        HttpServerResponse response = target.setStatusCode(refusal.status())
                .putHeader("Content-Type", "application/problem+json")
                .putHeader(REASON_HEADER, refusal.reason());
        if (refusal.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
        }
        response.end(Json.encode(problem));
    }
}
