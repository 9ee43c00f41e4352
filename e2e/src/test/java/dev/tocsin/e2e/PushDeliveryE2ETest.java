package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push path through the real services: contact channels set over REST, an alert for an offline user goes
 * out once through a local server that speaks the Telegram Bot API, a user with a live WebSocket gets no push,
 * and the delivery records come back on {@code GET /api/v1/alerts/{id}/deliveries}.
 */
class PushDeliveryE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String BOT_TOKEN = "123456:e2e-not-a-real-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<JsonNode> TELEGRAM_MESSAGES = new CopyOnWriteArrayList<>();

    private static HttpServer telegram;
    private static LocalStack stack;
    private static ServiceProcess ingest;
    private static String wsUrl;

    @BeforeAll
    static void startTocsin() throws IOException {
        telegram = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        telegram.createContext("/bot" + BOT_TOKEN + "/sendMessage", exchange -> {
            TELEGRAM_MESSAGES.add(Json.tree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = "{\"ok\":true,\"result\":{\"message_id\":1}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        telegram.start();

        Path root = Path.of(System.getProperty("tocsin.repo.root", "..")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(root.resolve("e2e/target/push-" + System.currentTimeMillis()));
        stack = LocalStack.infrastructure(root, work, null, null);
        ingest = stack.startService(LocalStack.INGEST, FreePort.find(), Map.of());
        ServiceProcess gateway = stack.startService(LocalStack.GATEWAY, FreePort.find(), Map.of());
        stack.startService(LocalStack.RELAY, FreePort.find(), Map.of(
                "tocsin.relay.telegram.base-url", "http://127.0.0.1:" + telegram.getAddress().getPort(),
                "tocsin.relay.telegram.bot-token", BOT_TOKEN));
        wsUrl = "ws://127.0.0.1:" + gateway.port() + "/ws/alerts";
    }

    @AfterAll
    static void stopTocsin() {
        if (stack != null) {
            stack.close();
        }
        if (telegram != null) {
            telegram.stop(0);
        }
    }

    @Test
    void anOfflineUserIsPushedOnceAndAnOnlineUserIsNot() throws Exception {
        putChannels("dave", "1001");
        putChannels("erin", "1002");
        try (WsClient erin = WsClient.connect(wsUrl, stack.jwt().token("erin", "viewer"), WsClient.TokenTransport.HEADER)) {
            erin.awaitOfType("connection_established", 1, WAIT);

            String alertId = post("{\"users\":[\"dave\",\"erin\"]}");
            erin.awaitFirst(f -> "alert".equals(f.path("type").asText()) && alertId.equals(f.path("alertId").asText()), WAIT);

            await().atMost(WAIT).until(() -> TELEGRAM_MESSAGES.stream().anyMatch(m -> "1001".equals(m.path("chat_id").asText())));
            JsonNode deliveries = await().atMost(WAIT).until(() -> deliveries(alertId),
                    records -> records.size() >= 2);
            assertTrue(find(deliveries, "dave", "telegram", "delivered"), deliveries.toString());
            assertTrue(find(deliveries, "erin", "telegram", "skipped"), deliveries.toString());

            // a marker alert to dave alone: once its push is in, an erin push for the first one would be too
            String marker = post("{\"users\":[\"dave\"]}");
            await().atMost(WAIT).until(() -> TELEGRAM_MESSAGES.stream().filter(m -> "1001".equals(m.path("chat_id").asText())).count() >= 2);
            assertEquals(2, TELEGRAM_MESSAGES.stream().filter(m -> "1001".equals(m.path("chat_id").asText())).count(),
                    "one push per alert for dave");
            assertEquals(0, TELEGRAM_MESSAGES.stream().filter(m -> "1002".equals(m.path("chat_id").asText())).count(),
                    "erin was online: no push");
            assertTrue(TELEGRAM_MESSAGES.get(0).path("text").asText().contains("Reactor coolant"),
                    "the push carries the alert's title");
            assertTrue(!marker.equals(alertId));
        }
    }

    private static boolean find(JsonNode records, String user, String channel, String outcome) {
        for (JsonNode record : records) {
            if (user.equals(record.path("user").asText()) && channel.equals(record.path("channel").asText())
                    && outcome.equals(record.path("outcome").asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode deliveries(String alertId) throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/alerts/" + alertId + "/deliveries", "admin", "admin", null);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = Json.tree(response.body());
        return body.isArray() ? body : body.path("items");
    }

    private static void putChannels(String user, String chatId) throws Exception {
        HttpResponse<String> response = send("PUT", "/api/v1/users/" + user + "/channels", user, "viewer",
                "{\"telegramChatId\":\"" + chatId + "\",\"minPriority\":\"high\"}");
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.body());
    }

    private static String post(String audience) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/alerts", "admin", "admin", """
                {"priority":"critical","type":"system_health","title":"Reactor coolant low","message":"Check pumps",
                 "source":"plant-2","audience":%s}""".formatted(audience));
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }

    private static HttpResponse<String> send(String method, String path, String user, String role, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingest.baseUrl() + path))
                .header("Authorization", "Bearer " + stack.jwt().token(user, role));
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
