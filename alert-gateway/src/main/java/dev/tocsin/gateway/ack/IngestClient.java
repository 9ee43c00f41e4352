package dev.tocsin.gateway.ack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.auth.BearerToken;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.json.Json;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Calls alert-ingest with the reactive REST client and reduces every outcome to an answer: the HTTP status (or
 * {@link #UNREACHABLE} when no answer came: refused, reset, timed out) and, on success, what the body says. A
 * successful answer whose body cannot be read keeps its status and carries no result. The base URL and timeout come
 * from {@code tocsin.gateway.ingest-url} and {@code tocsin.gateway.ingest-timeout}.
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

    public Uni<AckAnswer> ack(BearerToken token, String alertId) {
        return call(api.ack(token.authorizationHeader(), alertId), IngestClient::ackAnswer, AckAnswer::failed);
    }

    public Uni<ClearAnswer> clear(BearerToken token, ClearCriteria criteria) {
        return call(api.clear(token.authorizationHeader(), criteria), IngestClient::clearAnswer, ClearAnswer::failed);
    }

    /** Resolves with an optional note (null: none). */
    public Uni<IngestAnswer<Alert>> resolve(BearerToken token, String alertId, String note) {
        String body = note == null ? "{}" : Json.encode(Map.of("note", note));
        return alertCall(api.resolve(token.authorizationHeader(), alertId, body), "resolve");
    }

    public Uni<IngestAnswer<Alert>> unack(BearerToken token, String alertId) {
        return alertCall(api.unack(token.authorizationHeader(), alertId), "unack");
    }

    /** Assigns to {@code assignee} ({@code {"user": ...}} or {@code {"group": ...}}), or unassigns when null. */
    public Uni<IngestAnswer<Alert>> assign(BearerToken token, String alertId, Map<String, String> assignee) {
        return assignee == null
                ? alertCall(api.unassign(token.authorizationHeader(), alertId), "assign")
                : alertCall(api.assign(token.authorizationHeader(), alertId, Json.encode(assignee)), "assign");
    }

    public Uni<IngestAnswer<AlertNote>> note(BearerToken token, String alertId, String text) {
        return call(api.note(token.authorizationHeader(), alertId, Json.encode(Map.of("text", text))),
                response -> new IngestAnswer<>(response.getStatus(),
                        body(response, "note", json -> Json.decode(json, AlertNote.class))),
                IngestAnswer::failed);
    }

    private Uni<IngestAnswer<Alert>> alertCall(Uni<RestResponse<String>> call, String op) {
        return call(call, response -> new IngestAnswer<>(response.getStatus(),
                body(response, op, json -> Json.decode(json, Alert.class))), IngestAnswer::failed);
    }

    /** Reads a 2xx answer with {@code read}; any other status, or none, becomes {@code failed}'s answer. */
    private <T> Uni<T> call(Uni<RestResponse<String>> call, Function<RestResponse<String>, T> read,
            IntFunction<T> failed) {
        return call
                .map(response -> {
                    try {
                        int status = response.getStatus();
                        return status >= 200 && status < 300 ? read.apply(response) : failed.apply(status);
                    } finally {
                        response.close();
                    }
                })
                .ifNoItem().after(timeout.plusSeconds(1)).fail()
                .onFailure().recoverWithItem(failure -> {
                    // The default exception mapper turns 4xx/5xx answers into exceptions that still carry them.
                    if (failure instanceof WebApplicationException wae && wae.getResponse() != null) {
                        return failed.apply(wae.getResponse().getStatus());
                    }
                    return failed.apply(UNREACHABLE);
                });
    }

    private static AckAnswer ackAnswer(RestResponse<String> response) {
        return new AckAnswer(response.getStatus(), body(response, "ack", text -> Json.decode(text, Alert.class)),
                flag(response.getHeaderString(IngestAlertsApi.ALREADY_ACKNOWLEDGED)));
    }

    private static ClearAnswer clearAnswer(RestResponse<String> response) {
        return new ClearAnswer(response.getStatus(), body(response, "clear", text -> {
            JsonNode count = Json.tree(text).path("cleared");
            if (!count.isIntegralNumber()) {
                throw new IllegalArgumentException("cleared: not a count");
            }
            return count.asLong();
        }));
    }

    /** The decoded body of a successful answer, or null (logged) when it cannot be read. */
    private static <T> T body(RestResponse<String> response, String op, Function<String, T> decode) {
        try {
            return decode.apply(response.getEntity());
        } catch (RuntimeException e) {
            Log.warnf("alert-ingest answered %s with a body the gateway cannot read: %s", op, e.getMessage());
            return null;
        }
    }

    /** {@code true}/{@code false} (any case), else null: a header this gateway cannot read counts as absent. */
    private static Boolean flag(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        return trimmed.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }
}
