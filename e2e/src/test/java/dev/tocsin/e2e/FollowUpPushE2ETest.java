package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.localinfra.RespCall;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * Issue #19 through the real services: a user pushed over Telegram is told once when the alert is resolved; a
 * retracted alert is withdrawn from the offline inbox (a later connection does not get it) and its pushed user is
 * told once; the timeline shows the pushes next to the alert's own changes; an offline user's inbox hands over an
 * edited alert as edited.
 */
class FollowUpPushE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String BOT_TOKEN = "123456:e2e-not-a-real-token";

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("followup")
            .withTelegramRelays(1, BOT_TOKEN, Map.of("tocsin.relay.follow-up.delay", "500ms"));

    @Test
    void aPushedUserGetsExactlyOneFollowUpWhenTheAlertIsResolvedAndTheTimelineShowsThePushes() throws Exception {
        putChannels("fiona", "2001");
        String alertId = post("Dam spillway open", "{\"users\":[\"fiona\"]}");
        await().atMost(WAIT).until(() -> tocsin.telegram().messagesTo("2001").size() == 1);

        HttpResponse<String> resolved = tocsin.call("POST", "/api/v1/alerts/" + alertId + "/resolve", "admin", "admin",
                "{\"note\":\"gates closed\"}");
        assertEquals(200, resolved.statusCode(), resolved.body());

        await().atMost(WAIT).until(() -> tocsin.telegram().messagesTo("2001").size() == 2);
        String followUp = tocsin.telegram().messagesTo("2001").get(1).path("text").asText();
        assertTrue(followUp.contains("Resolved:") && followUp.contains("Dam spillway open")
                && followUp.contains("gates closed"), followUp);
        // exactly one: nothing more arrives while the relay finishes (its steps poll every second)
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> tocsin.telegram().messagesTo("2001").size() == 2);

        JsonNode entries = await().atMost(WAIT).until(() -> timeline(alertId), list -> list.size() >= 4);
        List<String> kinds = new ArrayList<>();
        entries.forEach(e -> kinds.add(e.path("kind").asText() + ":" + e.path("step").asText("")));
        assertEquals(List.of("created:", "push_sent:offline", "resolved:", "push_sent:follow-up:resolved"), kinds,
                entries.toString());
        assertEquals("fiona", entries.get(1).path("user").asText());
        assertEquals("telegram", entries.get(1).path("channel").asText());
    }

    @Test
    void aRetractedAlertLeavesTheOfflineInboxAndItsPushedUserIsToldOnce() throws Exception {
        putChannels("gus", "3001");
        String retracted = post("Evacuate zone B", "{\"users\":[\"gus\"]}");
        // the push follows the inbox entry in the relay's first step: once it is in, so is the entry
        await().atMost(WAIT).until(() -> tocsin.telegram().messagesTo("3001").size() == 1);

        HttpResponse<String> retraction = tocsin.call("DELETE", "/api/v1/alerts/" + retracted, "admin", "admin", "");
        assertEquals(204, retraction.statusCode(), retraction.body());
        await().atMost(WAIT).until(() -> tocsin.telegram().messagesTo("3001").size() == 2);
        String followUp = tocsin.telegram().messagesTo("3001").get(1).path("text").asText();
        assertTrue(followUp.contains("Retracted:") && followUp.contains("Evacuate zone B"), followUp);

        String marker = post("Zone B all clear", "{\"users\":[\"gus\"]}");
        await().atMost(WAIT).until(() -> tocsin.telegram().messagesTo("3001").size() == 3);
        try (WsClient gus = WsClient.connect(tocsin.wsUrl(), tocsin.token("gus", "viewer"),
                WsClient.TokenTransport.HEADER)) {
            // the marker was written to the inbox after the retracted alert: once it is here, that one would be too
            gus.awaitFirst(f -> "alert".equals(f.path("type").asText()) && marker.equals(f.path("alertId").asText()),
                    WAIT);
            assertTrue(gus.alerts().stream().noneMatch(a -> retracted.equals(a.path("alertId").asText())),
                    gus.frames().toString());
        }
        assertEquals(3, tocsin.telegram().messagesTo("3001").size(), "one push each and one follow-up");
    }

    @Test
    void anOfflineUsersInboxHandsOverTheAlertAsEditedNotAsCreated() throws Exception {
        putChannels("hal", "4001");
        String alertId = post("Water main break", "{\"users\":[\"hal\"]}");
        // the push follows the inbox entry in the relay's first step: once it is in, so is the entry
        await().atMost(WAIT).until(() -> tocsin.telegram().messagesTo("4001").size() == 1);

        HttpResponse<String> edit = HTTP.send(HttpRequest.newBuilder(
                        URI.create(tocsin.ingest().baseUrl() + "/api/v1/alerts/" + alertId))
                .header("Authorization", "Bearer " + tocsin.token("admin", "admin"))
                .header("Content-Type", "application/json")
                .header("If-Match", "\"1\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"Water main break: boil water\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, edit.statusCode(), edit.body());
        // the relay rewrote hal's entry in place (what an operator would see with LRANGE)
        int redisPort = tocsin.stack().redis().port();
        await().atMost(WAIT).until(() -> String.valueOf(RespCall.call("127.0.0.1", redisPort, "LRANGE",
                "tocsin:inbox:hal", "0", "-1")).contains("boil water"));

        try (WsClient hal = WsClient.connect(tocsin.wsUrl(), tocsin.token("hal", "viewer"),
                WsClient.TokenTransport.HEADER)) {
            JsonNode frame = hal.awaitFirst(f -> "alert".equals(f.path("type").asText())
                    && alertId.equals(f.path("alertId").asText()), WAIT);
            assertEquals("updated", frame.path("op").asText());
            assertEquals(2, frame.path("version").asLong());
            assertEquals("Water main break: boil water", frame.path("alert").path("title").asText());
        }
    }

    private static JsonNode timeline(String alertId) throws Exception {
        HttpResponse<String> response = tocsin.call("GET", "/api/v1/alerts/" + alertId + "/timeline", "admin", "admin",
                null);
        assertEquals(200, response.statusCode(), response.body());
        return Json.tree(response.body()).path("entries");
    }

    private static void putChannels(String user, String chatId) throws Exception {
        HttpResponse<String> response = tocsin.call("PUT", "/api/v1/users/" + user + "/channels", user, "viewer",
                "{\"telegramChatId\":\"" + chatId + "\",\"minPriority\":\"high\"}");
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.body());
    }

    private static String post(String title, String audience) throws Exception {
        HttpResponse<String> response = tocsin.call("POST", "/api/v1/alerts", "admin", "admin", """
                {"priority":"high","type":"system_health","title":"%s","message":"Follow the marked routes",
                 "source":"dam-1","audience":%s}""".formatted(title, audience));
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }
}
