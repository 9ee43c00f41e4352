package dev.tocsin.gateway.ack;

import dev.tocsin.gateway.auth.BearerToken;
import dev.tocsin.gateway.config.GatewayConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Calls alert-ingest with the reactive REST client and reduces every outcome to an HTTP status: the answer's status,
 * or {@link #UNREACHABLE} when no answer came (refused, reset, timed out). The base URL and timeout come from
 * {@code tocsin.gateway.ingest-url} and {@code tocsin.gateway.ingest-timeout}.
 */
@ApplicationScoped
public class IngestClient {

    /** No HTTP answer at all. */
    public static final int UNREACHABLE = -1;

    private final IngestAlertsApi api;
    private final Duration timeout;

    IngestClient(GatewayConfig config) {
        this.timeout = config.ingestTimeout();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.ingestUrl()))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(IngestAlertsApi.class);
    }

    public Uni<Integer> ack(BearerToken token, String alertId) {
        return status(api.ack(token.authorizationHeader(), alertId));
    }

    public Uni<Integer> clear(BearerToken token, ClearCriteria criteria) {
        return status(api.clear(token.authorizationHeader(), criteria));
    }

    private Uni<Integer> status(Uni<Response> call) {
        return call
                .map(response -> {
                    int status = response.getStatus();
                    response.close();
                    return status;
                })
                .ifNoItem().after(timeout.plusSeconds(1)).fail()
                .onFailure().recoverWithItem(failure -> {
                    // The default exception mapper turns 4xx/5xx answers into exceptions that still carry them.
                    if (failure instanceof WebApplicationException wae && wae.getResponse() != null) {
                        return wae.getResponse().getStatus();
                    }
                    return UNREACHABLE;
                });
    }
}
