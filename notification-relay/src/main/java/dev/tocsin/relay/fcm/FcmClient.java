package dev.tocsin.relay.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.send.AttemptResult;
import dev.tocsin.relay.send.Retrier;
import dev.tocsin.relay.send.SendOutcome;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends alerts to devices through FCM HTTP v1 ({@code POST {base-url}/v1/projects/{project}/messages:send}) with
 * a notification (title, body) and a data payload (alertId, priority, type, url), authorised by an OAuth2 access
 * token from the service account (see {@link AccessTokens}).
 *
 * <p>Answers: {@code UNREGISTERED} (404) and {@code INVALID_ARGUMENT} about the token (400) end the delivery as
 * failed and mark the token dead (the caller asks ingest to remove it); 429 and 5xx are retried, honouring
 * Retry-After; other 4xx fail without retry. 401 drops the cached access token and is retried once with a new one.
 */
@Singleton
public class FcmClient {

    private final RelayConfig.Fcm config;
    private final Retrier retrier;
    private final FcmRestClient rest;
    private final AccessTokens tokens;
    private final String project;

    public FcmClient(RelayConfig config, Retrier retrier) {
        this.config = config.fcm();
        this.retrier = retrier;
        ServiceAccount account = load(this.config);
        if (account == null) {
            rest = null;
            tokens = null;
            project = null;
            if (this.config.serviceAccountFile().isEmpty()) {
                Log.info("FCM channel disabled: neither tocsin.relay.fcm.service-account-file nor "
                        + "tocsin.relay.fcm.service-account-json is set; FCM deliveries are recorded as skipped "
                        + "(channel_not_configured)");
            }
            return;
        }
        project = this.config.projectId().orElse(account.projectId());
        if (project == null) {
            throw new IllegalArgumentException("FCM: the service-account key has no project_id; set tocsin.relay.fcm.project-id");
        }
        String tokenUri = this.config.tokenUri().orElse(account.tokenUri());
        rest = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(this.config.baseUrl()))
                .connectTimeout(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(FcmRestClient.class);
        OAuthRestClient oauth = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(tokenUri))
                .connectTimeout(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(OAuthRestClient.class);
        tokens = new AccessTokens(account, oauth, tokenUri, this.config.tokenRefreshMargin());
        Log.infof("FCM channel enabled (project %s, service account %s)", project, account.clientEmail());
    }

    public boolean isEnabled() {
        return rest != null;
    }

    /** How many access tokens were fetched so far (a cache that works fetches one per hour). */
    public int accessTokensFetched() {
        return tokens == null ? 0 : tokens.fetchedCount();
    }

    /** Sends the alert to one device token with retries; never fails (failures are outcomes). */
    public Uni<SendOutcome> send(String deviceToken, Alert alert, String link) {
        if (!isEnabled()) {
            throw new IllegalStateException("FCM is not configured");
        }
        return post(Map.of("message", message(deviceToken, alert, link)));
    }

    /**
     * Sends the follow-up of a resolved or retracted alert ("Resolved: title", the resolution note; "Retracted:
     * title") to one device token, with the original's collapse identifiers so that the platform replaces the
     * original notification where it can; retries as {@link #send}. Never fails.
     */
    public Uni<SendOutcome> sendFollowUp(String deviceToken, Alert alert, String link) {
        if (!isEnabled()) {
            throw new IllegalStateException("FCM is not configured");
        }
        return post(Map.of("message", followUpMessage(deviceToken, alert, link)));
    }

    /**
     * Sends the alert to its new assignee's device ("Assigned to you: title", the alert's message), with the alert's
     * collapse identifiers, so it replaces an earlier notification of the same alert; retries as {@link #send}.
     */
    public Uni<SendOutcome> sendAssignment(String deviceToken, Alert alert, String link) {
        if (!isEnabled()) {
            throw new IllegalStateException("FCM is not configured");
        }
        boolean urgent = alert.priority() != null && alert.priority().atLeast(Priority.HIGH);
        String title = "Assigned to you: " + (alert.title() == null ? "" : alert.title());
        return post(Map.of("message", message(deviceToken, alert, link, truncate(title, 200),
                truncate(alert.message(), 600), urgent, null)));
    }

    private Uni<SendOutcome> post(Map<String, Object> body) {
        return retrier.run(DeliveryChannel.FCM, () -> tokens.get()
                .chain(accessToken -> rest.send(project, "Bearer " + accessToken, body))
                .map(this::classify)
                .onFailure(AccessTokens.TokenUnavailable.class).recoverWithItem(failure -> {
                    AccessTokens.TokenUnavailable unavailable = (AccessTokens.TokenUnavailable) failure;
                    return unavailable.retryable
                            ? new AttemptResult.Retryable(unavailable.getMessage(), null)
                            : new AttemptResult.Rejected(unavailable.getMessage(), false);
                }));
    }

    private static Map<String, Object> message(String deviceToken, Alert alert, String link) {
        boolean urgent = alert.priority() != null && alert.priority().atLeast(Priority.HIGH);
        return message(deviceToken, alert, link, truncate(alert.title(), 200), truncate(alert.message(), 600),
                urgent, null);
    }

    private static Map<String, Object> followUpMessage(String deviceToken, Alert alert, String link) {
        boolean resolved = alert.effectiveStatus() == AlertStatus.RESOLVED;
        String title = (resolved ? "Resolved: " : "Retracted: ") + (alert.title() == null ? "" : alert.title());
        String body = resolved ? alert.resolution() : "This alert was withdrawn.";
        return message(deviceToken, alert, link, truncate(title, 200), truncate(body, 600), false,
                alert.effectiveStatus().name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The message. Every message of one alert carries the same collapse identifiers ({@link #collapseId}): the
     * Android notification {@code tag} and the APNs {@code apns-collapse-id} replace a shown notification of the
     * same alert, the Web Push {@code Topic} replaces one not yet delivered. Android's {@code collapse_key} is not
     * set: FCM keeps at most four collapse keys per device while it is offline, and one per alert would let it
     * discard other alerts.
     *
     * @param status {@code resolved} / {@code retracted} for a follow-up (data field {@code status}), else null
     */
    private static Map<String, Object> message(String deviceToken, Alert alert, String link, String title,
                                               String body, boolean urgent, String status) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("alertId", alert.id());
        if (alert.priority() != null) {
            data.put("priority", alert.priority().wire());
        }
        if (alert.type() != null) {
            data.put("type", alert.type());
        }
        if (link != null) {
            data.put("url", link);
        }
        if (status != null) {
            data.put("status", status);
        }
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("title", title);
        notification.put("body", body == null ? "" : body);
        String collapse = collapseId(alert.id());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("token", deviceToken);
        message.put("notification", notification);
        message.put("data", data);
        message.put("android", Map.of("priority", urgent ? "high" : "normal",
                "notification", Map.of("tag", collapse)));
        message.put("apns", Map.of("headers", Map.of("apns-priority", urgent ? "10" : "5",
                "apns-collapse-id", collapse)));
        message.put("webpush", Map.of("headers", Map.of("Topic", collapse)));
        return message;
    }

    /**
     * One identifier per alert that all three platforms accept: the alert id when it is at most 32 URL-safe
     * characters (Web Push {@code Topic}'s limit; ObjectIds are 24 hex digits), else 32 hex digits of its SHA-256.
     */
    static String collapseId(String alertId) {
        if (alertId.matches("[A-Za-z0-9_-]{1,32}")) {
            return alertId;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(alertId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    AttemptResult classify(Response response) {
        int status = response.getStatus();
        if (status >= 200 && status < 300) {
            return new AttemptResult.Delivered();
        }
        FcmError error = FcmError.of(response);
        String code = error.code() != null ? error.code() : "fcm_" + status;
        if (status == 429 || status >= 500) {
            return new AttemptResult.Retryable(code, retryAfter(response));
        }
        if ("UNREGISTERED".equals(error.code())) {
            return new AttemptResult.Rejected("UNREGISTERED", true);
        }
        if ("INVALID_ARGUMENT".equals(error.code())) {
            // only a bad token is the token's fault; a violation of another field (payload) keeps the token
            return new AttemptResult.Rejected("INVALID_ARGUMENT", !error.otherFieldViolated());
        }
        if (status == 401) {
            tokens.invalidate(); // a fresh access token may do; the retry policy bounds it
            return new AttemptResult.Retryable("fcm_401", null);
        }
        return new AttemptResult.Rejected(code, false);
    }

    /**
     * The FCM error: {@code details[].errorCode} of the {@code google.firebase.fcm.v1.FcmError} detail, else the
     * canonical {@code error.status}; and whether a {@code google.rpc.BadRequest} names a field other than the token.
     */
    private record FcmError(String code, boolean otherFieldViolated) {
        static FcmError of(Response response) {
            try {
                JsonNode error = Json.tree(response.readEntity(String.class)).path("error");
                String code = null;
                boolean otherField = false;
                for (JsonNode detail : error.path("details")) {
                    String type = detail.path("@type").asText("");
                    if (type.endsWith("google.firebase.fcm.v1.FcmError") && detail.hasNonNull("errorCode")) {
                        code = safeCode(detail.path("errorCode").asText());
                    }
                    if (type.endsWith("google.rpc.BadRequest")) {
                        for (JsonNode violation : detail.path("fieldViolations")) {
                            if (!"message.token".equals(violation.path("field").asText())) {
                                otherField = true;
                            }
                        }
                    }
                }
                if (code == null && error.hasNonNull("status")) {
                    code = safeCode(error.path("status").asText());
                }
                return new FcmError(code, otherField);
            } catch (RuntimeException e) {
                return new FcmError(null, false);
            }
        }
    }

    /** Codes are upper-case identifiers; anything else is not echoed. */
    private static String safeCode(String code) {
        return code.matches("[A-Z_]{1,40}") ? code : null;
    }

    private static Duration retryAfter(Response response) {
        String header = response.getHeaderString("Retry-After");
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            try {
                java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(header.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(java.time.Instant.now(), at.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    private static String truncate(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static ServiceAccount load(RelayConfig.Fcm config) {
        String json = config.serviceAccountJson().map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (json == null && config.serviceAccountFile().isPresent()) {
            if (!Files.exists(config.serviceAccountFile().get())) {
                // Kubernetes mounts the key from an optional Secret: an absent key means "FCM not used here"; a file
                // that exists but cannot be read or parsed still stops the relay
                Log.warnf("FCM channel disabled: tocsin.relay.fcm.service-account-file %s does not exist; FCM "
                        + "deliveries are recorded as skipped (channel_not_configured)",
                        config.serviceAccountFile().get());
                return null;
            }
            try {
                json = Files.readString(config.serviceAccountFile().get());
            } catch (IOException e) {
                throw new IllegalArgumentException("FCM: cannot read tocsin.relay.fcm.service-account-file ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return json == null ? null : ServiceAccount.parse(json);
    }
}
