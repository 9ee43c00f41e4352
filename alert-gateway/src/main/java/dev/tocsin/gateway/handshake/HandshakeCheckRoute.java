package dev.tocsin.gateway.handshake;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.auth.PrincipalResolver;
import dev.tocsin.gateway.config.GatewayPaths;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;

/**
 * {@code GET /ws/alerts/check}: why a WebSocket handshake with this token would be refused. Browsers and Node's
 * WebSocket see only close 1006 when a handshake is refused, so a client asks here with the same
 * {@code Authorization: Bearer <jwt>} and gets what a handshake would get now: 204 when it would be accepted, else the
 * same status and problem body (401 and 403 without a role come from the HTTP permission policy of {@code /ws/*}, like
 * the handshake's; the gateway's own refusals from {@link HandshakeRules}, in the handshake's order: origin, drain, ban,
 * connection limit).
 *
 * <p>It only reads: no presence entry, no connection counted, no refusal metric; two Redis reads at most. It answers
 * only about the caller's own token, so it tells nothing about other users.
 *
 * <p>CORS: any origin may call it (the preflight is answered before authentication; answers carry
 * {@code Access-Control-Allow-Origin} with the request's origin and expose {@code Retry-After} and
 * {@code X-Tocsin-Refusal}). A page on a foreign origin must be able to learn {@code origin_not_allowed}, and nothing is
 * exposed that the caller does not hold already: the credential is the bearer token it sends itself, never a cookie.
 */
@ApplicationScoped
public class HandshakeCheckRoute {

    /** Before authentication (200) and the access-token filter (210): a preflight carries no token. */
    static final int CORS_PRIORITY = SecurityHandlerPriorities.AUTHENTICATION + 20;

    static final String EXPOSED = "Retry-After, X-Tocsin-Refusal, WWW-Authenticate";

    private final HandshakeRules rules;
    private final PrincipalResolver principals;

    HandshakeCheckRoute(HandshakeRules rules, PrincipalResolver principals) {
        this.rules = rules;
        this.principals = principals;
    }

    void register(@Observes Router router) {
        router.get(GatewayPaths.ALERTS_CHECK).handler(this::check);
    }

    void registerCors(@Observes Filters filters) {
        filters.register(this::cors, CORS_PRIORITY);
    }

    /** CORS for the check path only: answers a preflight at once, adds the headers to every other answer. */
    void cors(RoutingContext context) {
        HttpServerRequest request = context.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || !GatewayPaths.ALERTS_CHECK.equals(context.normalizedPath())) {
            context.next();
            return;
        }
        HttpServerResponse response = context.response()
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        if (request.method() == HttpMethod.OPTIONS
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            response.setStatusCode(204)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization")
                    .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600")
                    .end();
            return;
        }
        response.putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
        context.next();
    }

    void check(RoutingContext context) {
        // Authenticated and role-checked by the /ws/* permission policy before this handler runs.
        context.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        HandshakeRefusedException refusal = rules.origin(context.request().getHeader(HttpHeaders.ORIGIN));
        if (refusal == null) {
            refusal = rules.drain();
        }
        if (refusal != null) {
            HandshakeRefusalResponder.write(context.response(), refusal);
            return;
        }
        Optional<GatewayPrincipal> principal = context.user() instanceof QuarkusHttpUser user
                ? principals.resolve(user.getSecurityIdentity()) : Optional.empty();
        if (principal.isEmpty()) {
            // The permission policy lets no anonymous caller through; if it ever did, the handshake would refuse too.
            context.response().setStatusCode(401).end();
            return;
        }
        rules.admission(principal.get().user()).subscribe().with(admission -> {
            if (context.response().ended()) {
                return;
            }
            if (admission.refusal() != null) {
                HandshakeRefusalResponder.write(context.response(), admission.refusal());
            } else {
                context.response().setStatusCode(204).end();
            }
        }, failure -> {
            Log.debugf("Handshake check failed: %s", failure.toString());
            context.fail(failure);
        });
    }
}
