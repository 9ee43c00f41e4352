package dev.tocsin.gateway.auth;

import dev.tocsin.gateway.endpoint.AlertsEndpoint;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Browsers cannot set headers on a WebSocket handshake. For them the gateway accepts the JWT as the
 * {@code access_token} query parameter of the WebSocket path and copies it into the {@code Authorization} header
 * before authentication runs, so the one JWT mechanism verifies it. Only the WebSocket path gets this treatment,
 * an explicit {@code Authorization} header wins, and the token is never logged.
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
        if (AlertsEndpoint.PATH.equals(context.normalizedPath())
                && !request.headers().contains(HttpHeaders.AUTHORIZATION)) {
            String token = request.getParam(PARAMETER);
            if (token != null && !token.isBlank()) {
                request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token.trim());
            }
        }
        context.next();
    }
}
