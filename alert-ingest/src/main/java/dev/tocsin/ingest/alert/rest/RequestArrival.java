package dev.tocsin.ingest.alert.rest;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Marks when a {@code POST} reached the server, before authentication, body decoding and validation run, so the
 * {@code rest_insert} stage ({@link dev.tocsin.ingest.metrics.IngestMetrics}) includes them: the resource method
 * itself starts only after all of them.
 */
@ApplicationScoped
public class RequestArrival {

    private static final String KEY = "tocsin.arrivedNanos";

    void routes(@Observes Router router) {
        // First of every route (the security handlers come later); one nanoTime and one map entry per POST.
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (ctx.request().method() == HttpMethod.POST) {
                ctx.put(KEY, System.nanoTime());
            }
            ctx.next();
        });
    }

    /** The {@link System#nanoTime()} at which the request arrived; now when it was not marked. */
    static long of(RoutingContext ctx) {
        Long arrived = ctx == null ? null : ctx.get(KEY);
        return arrived != null ? arrived : System.nanoTime();
    }
}
