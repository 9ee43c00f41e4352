package dev.tocsin.relay.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.time.Instant;

/**
 * OAuth2 access tokens for FCM from the service account's JWT grant, cached until {@code refresh-margin} before
 * they expire. Concurrent callers share one in-flight token request.
 */
final class AccessTokens {

    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /** Thrown (and retried by the caller's policy) when no token could be had; the message is a fixed code. */
    static final class TokenUnavailable extends RuntimeException {
        final boolean retryable;

        TokenUnavailable(String code, boolean retryable) {
            super(code, null, false, false);
            this.retryable = retryable;
        }
    }

    private record Cached(String value, Instant renewAt) {
    }

    private final ServiceAccount account;
    private final OAuthRestClient rest;
    private final String audience;
    private final Duration refreshMargin;
    private volatile Cached cached;
    private Uni<String> inFlight;
    private volatile int fetched;

    AccessTokens(ServiceAccount account, OAuthRestClient rest, String audience, Duration refreshMargin) {
        this.account = account;
        this.rest = rest;
        this.audience = audience;
        this.refreshMargin = refreshMargin;
    }

    Uni<String> get() {
        Cached current = cached;
        if (current != null && Instant.now().isBefore(current.renewAt())) {
            return Uni.createFrom().item(current.value());
        }
        synchronized (this) {
            if (inFlight == null) {
                inFlight = Uni.createFrom().deferred(this::fetch)
                        .onTermination().invoke(() -> {
                            synchronized (AccessTokens.this) {
                                inFlight = null;
                            }
                        })
                        .memoize().indefinitely();
            }
            return inFlight;
        }
    }

    /** Forget the cached token (FCM answered 401: it was revoked or expired early). */
    void invalidate() {
        cached = null;
    }

    int fetchedCount() {
        return fetched;
    }

    private Uni<String> fetch() {
        String assertion = account.assertion(audience, SCOPE, Instant.now());
        return rest.token(GRANT_TYPE, assertion).map(response -> {
            fetched++;
            int status = response.getStatus();
            if (status != 200) {
                // 400/401: the key is wrong or revoked; 429/5xx: try again later
                throw new TokenUnavailable("oauth_" + status, status == 429 || status >= 500);
            }
            JsonNode body = Json.tree(response.readEntity(String.class));
            String token = body.path("access_token").asText(null);
            long expiresIn = body.path("expires_in").asLong(3600);
            if (token == null) {
                throw new TokenUnavailable("oauth_no_token", true);
            }
            Instant renewAt = Instant.now().plusSeconds(expiresIn).minus(refreshMargin);
            cached = new Cached(token, renewAt);
            return token;
        });
    }
}
