package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first-load recipe of docs/protocol.md through the real services: connect, hold the greeting's cursor, load the
 * open alerts over REST, then apply live frames keeping the higher {@code version} per alert (and the larger note
 * count). While alerts are created, acknowledged, assigned, noted and cleared during the load, the result must equal the state of a witness that was connected before
 * any of it and saw every frame.
 */
class FirstLoadE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("first-load");

    @Test
    void restPlusLiveFramesByVersionEqualsAClientThatSawEverything() throws Exception {
        try (WsClient witness = connect("wanda")) {
            List<String> seeded = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                seeded.add(post(i % 3 == 0 ? "critical" : "medium", i % 2 == 0 ? "flood_risk" : "pump_pressure"));
            }
            ack(seeded.get(0), "olga");
            ack(seeded.get(1), "olga");
            clear("pump_pressure");

            // Churn while the loader loads: new alerts, acknowledgments and clears, as fast as ingest takes them.
            AtomicBoolean churning = new AtomicBoolean(true);
            CompletableFuture<Integer> churn = CompletableFuture.supplyAsync(() -> {
                int rounds = 0;
                try {
                    while (churning.get() || rounds < 5) {
                        String created = post(rounds % 2 == 0 ? "high" : "low", "pump_pressure");
                        ack(created, "olga");
                        String flood = post("critical", "flood_risk");
                        assign(flood, rounds % 2 == 0 ? "{\"user\":\"olga\"}" : "{\"group\":\"oncall\"}");
                        note(flood, "round " + rounds);
                        if (rounds < 150) { // within the note limit per alert (200)
                            note(seeded.get(2), "seeded " + rounds);
                        }
                        if (rounds % 3 == 0) {
                            clear("pump_pressure");
                        }
                        rounds++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return rounds;
            });

            // The recipe, step by step.
            AlertView loader = new AlertView();
            int framesBeforeLoad;
            try (WsClient live = connect("lena")) {
                JsonNode greeting = live.awaitOfType("connection_established", 1, WAIT).get(0);
                assertTrue(greeting.has("cursor"), greeting::toString);
                HttpResponse<String> list = tocsin.call("GET",
                        "/api/v1/alerts?status=active&status=acknowledged&size=200", "lena", "viewer", null);
                assertEquals(200, list.statusCode(), list.body());
                JsonNode body = Json.tree(list.body());
                assertTrue(body.path("total").asInt() <= 200, "one page holds them all in this test");
                assertEquals(greeting.path("epoch").asText(), body.path("epoch").asText(), body::toString);
                assertTrue(body.path("seq").asLong() >= greeting.path("cursor").asLong(),
                        "the REST answer is at least as new as the greeting");
                body.path("items").forEach(loader::restAlert);
                framesBeforeLoad = live.frames().size();

                churning.set(false);
                int rounds = churn.get(60, TimeUnit.SECONDS);
                String marker = post("critical", "marker");
                live.awaitFirst(f -> isAlert(f, marker), WAIT);
                witness.awaitFirst(f -> isAlert(f, marker), WAIT);
                live.frames().forEach(loader::frame);

                AlertView seen = new AlertView();
                witness.frames().forEach(seen::frame);
                System.out.printf("first load: %d open alerts, %d churn rounds, %d live frames arrived during the load%n",
                        seen.open().size(), rounds, framesBeforeLoad);
                assertTrue(rounds >= 5);
                assertEquals(seen.open(), loader.open(), "the recipe's view differs from the witness's");
            }
        }
    }

    private static boolean isAlert(JsonNode frame, String alertId) {
        return WsClient.holdsAlert(frame, alertId);
    }

    private static WsClient connect(String user) {
        return tocsin.connect(user, "viewer");
    }

    private static String post(String priority, String type) throws Exception {
        HttpResponse<String> response = tocsin.call("POST", "/api/v1/alerts", "admin", "admin", """
                {"priority":"%s","type":"%s","title":"Level","message":"Above limit","source":"plant-1"}"""
                .formatted(priority, type));
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }

    private static void ack(String id, String user) throws Exception {
        HttpResponse<String> response = tocsin.call("POST", "/api/v1/alerts/" + id + "/ack", user,
                "viewer", "");
        assertEquals(200, response.statusCode(), response.body());
    }

    private static void assign(String id, String assignee) throws Exception {
        HttpResponse<String> response = tocsin.call("POST", "/api/v1/alerts/" + id + "/assign", "oscar",
                "operator", assignee);
        assertEquals(200, response.statusCode(), response.body());
    }

    private static void note(String id, String text) throws Exception {
        HttpResponse<String> response = tocsin.call("POST", "/api/v1/alerts/" + id + "/notes", "olga",
                "viewer", "{\"text\":\"" + text + "\"}");
        assertEquals(201, response.statusCode(), response.body());
    }

    private static void clear(String type) throws Exception {
        HttpResponse<String> response = tocsin.call("POST", "/api/v1/alerts/clear", "oscar",
                "operator", "{\"types\":[\"" + type + "\"]}");
        assertEquals(200, response.statusCode(), response.body());
    }
}
