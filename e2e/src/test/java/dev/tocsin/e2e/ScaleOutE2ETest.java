package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.localinfra.ServiceProcess;
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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateways and two relays against one Redis: every client, whichever replica it is on, gets every alert
 * exactly once; an offline user gets exactly one push per alert although two relays consume the stream; the
 * metrics moved; and readiness follows Redis going away and coming back.
 */
class ScaleOutE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BOT_TOKEN = "654321:scale-out-not-real";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("scale").withGateways(2)
            .withTelegramRelays(2, BOT_TOKEN, Map.of());

    @Test
    void everyClientOnEitherGatewayGetsEveryAlertOnceAndTheOfflineUserOnePushPerAlert() throws Exception {
        putChannels("olga", "2001");
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                ServiceProcess gateway = tocsin.gateways().get(i % 2);
                WsClient client = WsClient.connect(TocsinStack.wsUrl(gateway), tocsin.token("user" + i, "viewer"),
                        WsClient.TokenTransport.HEADER);
                client.awaitOfType("connection_established", 1, WAIT);
                clients.add(client);
            }

            int count = 10;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(post(i));
            }

            for (WsClient client : clients) {
                List<JsonNode> alerts = client.awaitAlerts(count, WAIT);
                assertEquals(count, alerts.size(), "exactly once on every replica");
                assertEquals(Set.copyOf(ids), alerts.stream().map(a -> a.get("alertId").asText()).collect(Collectors.toSet()));
            }

            await().atMost(WAIT).until(() -> pushesTo("2001").size() >= count);
            List<String> pushed = pushesTo("2001");
            assertEquals(count, pushed.size(), "one push per alert although two relays consume: " + pushed);
            assertEquals(count, Set.copyOf(pushed).size(), "no alert pushed twice");

            // the figures moved on every service that did the work
            double delivered = 0;
            for (ServiceProcess gateway : tocsin.gateways()) {
                String figures = metrics(gateway);
                assertTrue(sum(figures, "tocsin_gateway_messages_sent_total") > 0, gateway.name() + " sent nothing");
                delivered += sum(figures, "tocsin_gateway_delivery_latency_seconds_count");
            }
            assertEquals(6.0 * count, delivered, 0.0, "one latency sample per alert written to each of six clients");
            assertTrue(sum(metrics(tocsin.ingest()), "tocsin_ingest_events_published_total") >= count);
            double pushes = 0;
            for (ServiceProcess relay : tocsin.relays()) {
                pushes += sum(metrics(relay), "tocsin_relay_sends_total\\{[^}]*channel=\"telegram\"[^}]*outcome=\"delivered\"");
            }
            assertEquals(count, pushes, 0.0, "telegram deliveries across both relays");
        } finally {
            clients.forEach(WsClient::close);
        }

        // readiness follows Redis: down while it is gone, up again when it is back
        List<ServiceProcess> all = new ArrayList<>(List.of(tocsin.ingest()));
        all.addAll(tocsin.gateways());
        all.addAll(tocsin.relays());
        tocsin.stack().redis().stop();
        for (ServiceProcess service : all) {
            await().atMost(WAIT).until(() -> readiness(service) == 503);
            assertEquals(200, liveness(service), service.name() + " stays live without Redis");
        }
        tocsin.stack().redis().start();
        for (ServiceProcess service : all) {
            await().atMost(WAIT).until(() -> readiness(service) == 200);
        }
    }

    private static List<String> pushesTo(String chatId) {
        return tocsin.telegram().messagesTo(chatId).stream()
                .map(m -> m.path("text").asText().replaceAll("(?s).*Scale drill (\\d+).*", "$1")).toList();
    }

    private static double sum(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "[^ ]* ([0-9.eE+-]+)$").matcher(metrics);
        double total = 0;
        while (matcher.find()) {
            total += Double.parseDouble(matcher.group(1));
        }
        return total;
    }

    private static String metrics(ServiceProcess service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int readiness(ServiceProcess service) {
        return status(service.baseUrl() + "/q/health/ready");
    }

    private static int liveness(ServiceProcess service) {
        return status(service.baseUrl() + "/q/health/live");
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void putChannels(String user, String chatId) throws Exception {
        HttpResponse<String> response = send("PUT", "/api/v1/users/" + user + "/channels", user, "viewer",
                "{\"telegramChatId\":\"" + chatId + "\",\"minPriority\":\"info\"}");
        assertEquals(200, response.statusCode(), response.body());
    }

    private static String post(int i) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/alerts", "admin", "admin", """
                {"priority":"%s","type":"system_health","title":"Scale drill %d","message":"m","source":"e2e"}"""
                .formatted(i % 2 == 0 ? "critical" : "high", i));
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }

    private static HttpResponse<String> send(String method, String path, String user, String role, String body)
            throws Exception {
        return tocsin.call(method, path, user, role, body);
    }
}
