package dev.tocsin.relay.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tocsin.localinfra.FreePort;
import dev.tocsin.protocol.json.Json;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local HTTP servers speaking the Telegram Bot API, Google's OAuth2 token endpoint and FCM HTTP v1, including
 * their error answers. Behaviour is chosen by the chat id / device token prefix:
 * <ul>
 *   <li>Telegram chat {@code flood-*}: first 429 with {@code parameters.retry_after=1}, then ok; {@code down-*}:
 *       always 502; {@code blocked-*}: 403; anything else ok. A wrong bot token gets 401.</li>
 *   <li>FCM token {@code unregistered-*}: 404 UNREGISTERED; {@code invalid-*}: 400 INVALID_ARGUMENT;
 *       {@code busy-*}: first 503 UNAVAILABLE with Retry-After 1, then ok; {@code quota-*}: always 429
 *       QUOTA_EXCEEDED; anything else ok. A bearer token not issued by the token endpoint gets 401.</li>
 *   <li>The token endpoint verifies the JWT grant's RS256 signature with the public key of the service account
 *       generated here at start (never committed), and its iss, aud, scope, iat and exp.</li>
 * </ul>
 * Every request is kept and served at {@code GET /_requests} (tests read them over HTTP, which works whatever
 * class loader the test runs in).
 */
public class FakePushServers implements QuarkusTestResourceLifecycleManager {

    public static final String BOT_TOKEN = "123456:TEST-very-secret-bot-token";
    public static final String CLIENT_EMAIL = "relay-test@tocsin-test.iam.gserviceaccount.com";
    public static final String PROJECT = "tocsin-test";
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    private Vertx vertx;
    private HttpServer server;
    private PublicKey publicKey;
    private String tokenUri;
    private final ArrayNode requests = Json.mapper().createArrayNode();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    @Override
    public Map<String, String> start() {
        int port = FreePort.find();
        String base = "http://127.0.0.1:" + port;
        tokenUri = base + "/oauth/token";
        writeServiceAccount();
        vertx = Vertx.vertx();
        try {
            server = vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake push servers did not start", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("tocsin.relay.telegram.base-url", base + "/telegram");
        config.put("tocsin.relay.fcm.base-url", base + "/fcm");
        config.put("tocsin.relay.fcm.token-uri", tokenUri);
        config.put("tocsin.test.fake-push-url", base);
        return config;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    private void writeServiceAccount() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            publicKey = pair.getPublic();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            ObjectNode key = Json.mapper().createObjectNode();
            key.put("type", "service_account");
            key.put("project_id", PROJECT);
            key.put("private_key_id", "test-key-1");
            key.put("private_key", pem);
            key.put("client_email", CLIENT_EMAIL);
            // deliberately unusable: the relay must use tocsin.relay.fcm.token-uri instead
            key.put("token_uri", "http://127.0.0.1:9/never-used");
            Path file = Path.of(System.getProperty("java.io.tmpdir"), "tocsin-relay-test-service-account.json");
            Files.writeString(file, Json.mapper().writeValueAsString(key));
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(buffer -> {
            String body = buffer.toString(StandardCharsets.UTF_8);
            String path = request.path();
            try {
                if (request.method().name().equals("GET") && path.equals("/_requests")) {
                    synchronized (requests) {
                        reply(request, 200, Json.mapper().writeValueAsString(requests), null);
                    }
                } else if (path.startsWith("/telegram/bot")) {
                    telegram(request, path, body);
                } else if (path.equals("/oauth/token")) {
                    oauth(request, body);
                } else if (path.startsWith("/fcm/v1/projects/")) {
                    fcm(request, path, body);
                } else {
                    reply(request, 404, "{}", null);
                }
            } catch (Exception e) {
                reply(request, 500, "{\"error\":\"fake server: " + e.getClass().getSimpleName() + "\"}", null);
            }
        });
    }

    private void telegram(HttpServerRequest request, String path, String body) {
        String token = path.substring("/telegram/bot".length(), path.lastIndexOf('/'));
        JsonNode json = Json.tree(body);
        String chat = json.path("chat_id").asText();
        int status;
        String answer;
        if (!token.equals(BOT_TOKEN) || !path.endsWith("/sendMessage")) {
            status = 401;
            answer = "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}";
        } else if (chat.startsWith("flood-") && first("tg:" + chat)) {
            status = 429;
            answer = "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\","
                    + "\"parameters\":{\"retry_after\":1}}";
        } else if (chat.startsWith("down-")) {
            status = 502;
            answer = "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}";
        } else if (chat.startsWith("blocked-")) {
            status = 403;
            answer = "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}";
        } else {
            status = 200;
            answer = "{\"ok\":true,\"result\":{\"message_id\":" + counter.incrementAndGet() + ",\"chat\":{\"id\":\""
                    + chat + "\"},\"date\":" + Instant.now().getEpochSecond() + "}}";
        }
        ObjectNode record = record("telegram", status);
        record.put("chat", chat);
        record.put("text", json.path("text").asText());
        record.put("parseMode", json.path("parse_mode").asText());
        keep(record);
        reply(request, status, answer, null);
    }

    private void oauth(HttpServerRequest request, String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String problem = verifyGrant(form);
        ObjectNode record = record("oauth", problem == null ? 200 : 400);
        record.put("problem", problem);
        keep(record);
        if (problem != null) {
            reply(request, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + problem + "\"}", null);
            return;
        }
        String token = "ya29.test-" + counter.incrementAndGet();
        issued.add(token);
        reply(request, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}", null);
    }

    private String verifyGrant(Map<String, String> form) {
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
            return "grant_type";
        }
        String[] parts = String.valueOf(form.get("assertion")).split("\\.");
        if (parts.length != 3) {
            return "assertion";
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(publicKey);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "signature";
            }
        } catch (Exception e) {
            return "signature";
        }
        JsonNode header = Json.tree(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        JsonNode claims = Json.tree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        long now = Instant.now().getEpochSecond();
        if (!"RS256".equals(header.path("alg").asText())) {
            return "alg";
        }
        if (!CLIENT_EMAIL.equals(claims.path("iss").asText())) {
            return "iss";
        }
        if (!tokenUri.equals(claims.path("aud").asText())) {
            return "aud";
        }
        if (!SCOPE.equals(claims.path("scope").asText())) {
            return "scope";
        }
        long iat = claims.path("iat").asLong();
        long exp = claims.path("exp").asLong();
        if (iat > now + 60 || exp <= now || exp - iat > 3600) {
            return "lifetime";
        }
        return null;
    }

    private void fcm(HttpServerRequest request, String path, String body) {
        String authorization = request.getHeader("Authorization");
        JsonNode message = Json.tree(body).path("message");
        String token = message.path("token").asText();
        int status;
        String answer;
        String retryAfter = null;
        if (authorization == null || !authorization.startsWith("Bearer ")
                || !issued.contains(authorization.substring("Bearer ".length()))) {
            status = 401;
            answer = error(401, "UNAUTHENTICATED", null, "Request had invalid authentication credentials.");
        } else if (!path.equals("/fcm/v1/projects/" + PROJECT + "/messages:send")) {
            status = 404;
            answer = error(404, "NOT_FOUND", null, "project");
        } else if (token.startsWith("unregistered-")) {
            status = 404;
            answer = error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.");
        } else if (token.startsWith("invalid-")) {
            status = 400;
            answer = error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
                    "The registration token is not a valid FCM registration token");
        } else if (token.startsWith("busy-") && first("fcm:" + token)) {
            status = 503;
            retryAfter = "1";
            answer = error(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable.");
        } else if (token.startsWith("quota-")) {
            status = 429;
            retryAfter = "0";
            answer = error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded.");
        } else {
            status = 200;
            answer = "{\"name\":\"projects/" + PROJECT + "/messages/" + counter.incrementAndGet() + "\"}";
        }
        ObjectNode record = record("fcm", status);
        record.put("token", token);
        record.put("title", message.path("notification").path("title").asText());
        record.put("alertId", message.path("data").path("alertId").asText());
        record.put("body", message.path("notification").path("body").asText());
        record.put("alertStatus", message.path("data").path("status").asText());
        record.put("tag", message.path("android").path("notification").path("tag").asText());
        record.put("apnsCollapseId", message.path("apns").path("headers").path("apns-collapse-id").asText());
        record.put("topic", message.path("webpush").path("headers").path("Topic").asText());
        keep(record);
        reply(request, status, answer, retryAfter);
    }

    private static String error(int code, String status, String fcmCode, String message) {
        String details = fcmCode == null ? "[]" : "[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
                + "\"errorCode\":\"" + fcmCode + "\"}]";
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status
                + "\",\"details\":" + details + "}}";
    }

    private boolean first(String key) {
        return seen.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement() == 0;
    }

    private ObjectNode record(String kind, int status) {
        ObjectNode record = Json.mapper().createObjectNode();
        record.put("kind", kind);
        record.put("status", status);
        return record;
    }

    private void keep(ObjectNode record) {
        synchronized (requests) {
            requests.add(record);
        }
    }

    private static void reply(HttpServerRequest request, int status, String body, String retryAfter) {
        var response = request.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (retryAfter != null) {
            response.putHeader("Retry-After", retryAfter);
        }
        response.end(body);
    }
}
