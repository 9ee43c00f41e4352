package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

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

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("push").withTelegramRelays(1, BOT_TOKEN, Map.of());

    @Test
    void anOfflineUserIsPushedOnceAndAnOnlineUserIsNot() throws Exception {
        putChannels("dave", "1001");
        putChannels("erin", "1002");
        try (WsClient erin = WsClient.connect(tocsin.wsUrl(), tocsin.token("erin", "viewer"), WsClient.TokenTransport.HEADER)) {
            erin.awaitOfType("connection_established", 1, WAIT);

            String alertId = post("{\"users\":[\"dave\",\"erin\"]}");
            erin.awaitFirst(f -> "alert".equals(f.path("type").asText()) && alertId.equals(f.path("alertId").asText()), WAIT);

            await().atMost(WAIT).until(() -> !tocsin.telegram().messagesTo("1001").isEmpty());
            // the gateway's websocket record for erin also counts: wait for the two records under test, not a count
            JsonNode deliveries = await().atMost(WAIT).until(() -> deliveries(alertId),
                    records -> find(records, "dave", "telegram", "delivered")
                            && find(records, "erin", "telegram", "skipped"));
            assertTrue(find(deliveries, "dave", "telegram", "delivered"), deliveries.toString());
            assertTrue(find(deliveries, "erin", "telegram", "skipped"), deliveries.toString());

            // a marker alert to dave alone: once its push is in, an erin push for the first one would be too
            String marker = post("{\"users\":[\"dave\"]}");
            await().atMost(WAIT).until(() -> tocsin.telegram().messagesTo("1001").size() >= 2);
            assertEquals(2, tocsin.telegram().messagesTo("1001").size(), "one push per alert for dave");
            assertEquals(0, tocsin.telegram().messagesTo("1002").size(), "erin was online: no push");
            assertTrue(tocsin.telegram().messagesTo("1001").get(0).path("text").asText().contains("Reactor coolant"),
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
        return tocsin.call(method, path, user, role, body);
    }
}
