package dev.tocsin.ingest.console;

import dev.tocsin.ingest.config.IngestConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operator console's routes next to its static files ({@code META-INF/resources/console/}, built by
 * {@code clients/console}):
 * <ul>
 *   <li>every {@code /console} response carries a strict Content-Security-Policy (scripts, styles and images from
 *       this origin only, WebSocket and handshake check to the configured gateway only, no framing, no plugins),
 *       {@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer};</li>
 *   <li>{@code GET /console/config.json}: what the page needs to know ({@code gatewayUrl}, {@code staleAfterSeconds});</li>
 *   <li>{@code GET /alerts/{id}}, the link in Telegram and FCM messages ({@code tocsin.relay.alert-url-template}),
 *       answers {@code 303} to {@code /console/#/alerts/{id}}, the console's view of that alert;</li>
 *   <li>{@code GET /console} answers {@code 301} to {@code /console/}.</li>
 * </ul>
 * Plain Vert.x routes, not JAX-RS: they are not part of the REST API's contract and need no token (the page signs in
 * itself; the fragment after {@code #} never reaches this server).
 */
@ApplicationScoped
public class ConsoleRoutes {

    private static final Logger LOG = Logger.getLogger(ConsoleRoutes.class);
    /** Alert ids are Mongo ObjectIds today; anything outside this set is not an id and gets a 404. */
    private static final Pattern ALERT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final IngestConfig config;
    private final String contentSecurityPolicy;

    ConsoleRoutes(IngestConfig config) {
        this.config = config;
        this.contentSecurityPolicy = contentSecurityPolicy(config.console().gatewayUrl());
    }

    void onStart(@Observes StartupEvent event) {
        if (config.console().gatewayUrl().isEmpty()) {
            LOG.info("tocsin.ingest.console.gateway-url is not set: the console at /console/ will say it is not configured");
        }
    }

    void routes(@Observes Router router) {
        // before the static files and everything else under /console
        router.route().order(-100).pathRegex("/console(/.*)?").handler(this::securityHeaders);
        router.routeWithRegex(HttpMethod.GET, "/console").order(-99).handler(ctx -> redirect(ctx, 301, "/console/"));
        router.route(HttpMethod.GET, "/console/config.json").order(-99).handler(this::configJson);
        router.route(HttpMethod.GET, "/alerts/:id").order(-99).handler(this::alertLink);
    }

    private void securityHeaders(RoutingContext ctx) {
        ctx.addHeadersEndHandler(ignored -> ctx.response().headers()
                .set("Content-Security-Policy", contentSecurityPolicy)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set("X-Frame-Options", "DENY"));
        ctx.next();
    }

    private void configJson(RoutingContext ctx) {
        JsonObject body = new JsonObject()
                .put("gatewayUrl", config.console().gatewayUrl().orElse(null))
                .put("staleAfterSeconds", config.console().staleAfter().toSeconds());
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.encode());
    }

    private void alertLink(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (id == null || !ALERT_ID.matcher(id).matches()) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        redirect(ctx, 303, "/console/#/alerts/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    private static void redirect(RoutingContext ctx, int status, String location) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.LOCATION, location).end();
    }

    /**
     * The console's policy. {@code connect-src} names the gateway's WebSocket origin and its HTTP twin (the client asks
     * {@code GET <gateway>/ws/alerts/check} why a handshake failed); this origin covers the REST API.
     */
    static String contentSecurityPolicy(Optional<String> gatewayUrl) {
        StringBuilder connect = new StringBuilder("'self'");
        gatewayUrl.flatMap(ConsoleRoutes::origin).ifPresent(origin -> {
            connect.append(' ').append(origin);
            connect.append(' ').append(origin.replaceFirst("^ws", "http"));
        });
        return "default-src 'self'; connect-src " + connect + "; img-src 'self' data:; style-src 'self'; "
                + "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static Optional<String> origin(String url) {
        try {
            URI uri = URI.create(url.trim());
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("ws".equals(scheme) || "wss".equals(scheme))) {
                LOG.warnf("tocsin.ingest.console.gateway-url is not a ws:// or wss:// URL: %s", url);
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        } catch (IllegalArgumentException e) {
            LOG.warnf("tocsin.ingest.console.gateway-url is not a URL: %s", url);
            return Optional.empty();
        }
    }
}
