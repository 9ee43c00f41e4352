package dev.tocsin.gateway.auth;

import dev.tocsin.gateway.config.GatewayPaths;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Browsers cannot set headers on a WebSocket handshake. For them the gateway accepts the JWT as the
 * {@code access_token} query parameter of the WebSocket path and copies it into the {@code Authorization} header
 * before authentication runs, so the one JWT mechanism verifies it. Only the WebSocket path gets this treatment,
 * and an explicit {@code Authorization} header wins.
 *
 * <p>The request is then rerouted to its URI without the parameter, so nothing downstream sees the token in the
 * URI: Quarkus's error handler logs the URI of a request that fails, and an access log would too.
 */
@ApplicationScoped
public class AccessTokenQueryFilter {

    static final String PARAMETER = "access_token";

    /** Runs before authentication (which has priority 200; a higher priority runs earlier). */
    static final int PRIORITY = SecurityHandlerPriorities.AUTHENTICATION + 10;

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (GatewayPaths.ALERTS.equals(context.normalizedPath()) && request.getParam(PARAMETER) != null) {
            String token = request.getParam(PARAMETER);
            if (!request.headers().contains(HttpHeaders.AUTHORIZATION) && !token.isBlank()) {
                request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token.trim());
            }
            // The rerouted request has no such parameter, so it passes this filter unchanged.
            context.reroute(withoutToken(request.path(), request.query()));
            return;
        }
        context.next();
    }

    /** {@code path?query} without any {@code access_token} parameter; the other parameters keep their encoding. */
    static String withoutToken(String path, String query) {
        if (query == null || query.isEmpty()) {
            return path;
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (pair.isEmpty() || name.equals(PARAMETER)) {
                continue;
            }
            kept.append(kept.length() == 0 ? "" : "&").append(pair);
        }
        return kept.length() == 0 ? path : path + "?" + kept;
    }
}
