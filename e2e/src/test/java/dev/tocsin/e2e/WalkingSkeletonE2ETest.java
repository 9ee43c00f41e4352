package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path with the packaged services as processes: REST → MongoDB → change stream → Redis → gateway →
 * WebSocket clients.
 */
class WalkingSkeletonE2ETest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalStack stack;
    private static ServiceProcess ingest;
    private static ServiceProcess gateway;

    @BeforeAll
    static void startTocsin() {
        stack = Tocsin.infrastructure("e2e");
        ingest = stack.startService(LocalStack.INGEST, FreePort.find(), Map.of());
        gateway = stack.startService(LocalStack.GATEWAY, FreePort.find(), Map.of());
        stack.startService(LocalStack.RELAY, FreePort.find(), Map.of());
    }

    @AfterAll
    static void stopTocsin() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyPostedAlertReachesEachClientExactlyOnceInOrderWithAllFields() throws Exception {
        String wsUrl = "ws://127.0.0.1:" + gateway.port() + "/ws/alerts";
        try (WsClient header = WsClient.connect(wsUrl, stack.jwt().token("alice", "viewer"), WsClient.TokenTransport.HEADER);
             WsClient browser = WsClient.connect(wsUrl, stack.jwt().token("bob", "viewer"), WsClient.TokenTransport.QUERY);
             WsClient subprotocol = WsClient.connect(wsUrl, stack.jwt().token("carol", "operator"),
                     WsClient.TokenTransport.SUBPROTOCOL)) {
            List<WsClient> clients = List.of(header, browser, subprotocol);
            for (WsClient client : clients) {
                client.awaitOfType("connection_established", 1, DELIVERY);
            }

            int count = 25;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(postAlert(i));
            }

            for (WsClient client : clients) {
                List<JsonNode> alerts = client.awaitAlerts(count, DELIVERY);
                assertEquals(count, alerts.size(), "exactly once: no duplicates");
                assertEquals(Set.copyOf(ids), alerts.stream().map(a -> a.get("alertId").asText())
                        .collect(Collectors.toSet()), "every alert");
                // critical goes out at once, lower priorities may be batched: order holds within a priority
                for (String priority : List.of("critical", "low")) {
                    List<JsonNode> ofPriority = alerts.stream()
                            .filter(a -> priority.equals(a.at("/alert/priority").asText())).toList();
                    List<String> posted = ids.stream().filter(id -> priority.equals(priorityOf(ids.indexOf(id)))).toList();
                    assertEquals(posted, ofPriority.stream().map(a -> a.get("alertId").asText()).toList(),
                            priority + " alerts in posting order");
                    for (int i = 1; i < ofPriority.size(); i++) {
                        assertTrue(ofPriority.get(i).get("seq").asLong() > ofPriority.get(i - 1).get("seq").asLong(),
                                "seq rises within a priority");
                    }
                }
                for (JsonNode frame : alerts) {
                    int i = ids.indexOf(frame.get("alertId").asText());
                    assertEquals("created", frame.get("op").asText());
                    JsonNode alert = frame.get("alert");
                    assertEquals("Flood risk " + i, alert.get("title").asText());
                    assertEquals(priorityOf(i), alert.get("priority").asText());
                    assertEquals("outbreak_risk", alert.get("type").asText());
                    assertEquals("River above 5 m", alert.get("message").asText());
                    assertEquals("sensor-7", alert.get("source").asText());
                    assertEquals(48.137, alert.at("/location/lat").asDouble());
                    assertEquals("DE-BY", alert.at("/location/region").asText());
                    assertEquals(0.75, alert.get("riskScore").asDouble());
                    assertEquals(12000, alert.get("affectedPopulation").asLong());
                    assertTrue(alert.get("actionRequired").asBoolean());
                    assertEquals("https://example.org/runbook", alert.get("actionUrl").asText());
                    assertEquals("gauge-" + i, alert.at("/metadata/station").asText());
                    assertEquals(3, alert.at("/metadata/levels").size());
                    assertTrue(alert.hasNonNull("createdAt"));
                }
                assertTrue(client.ofType("alert").stream().allMatch(f -> f.get("v").asInt() == 1), "protocol version");
            }
        }
    }

    private static String priorityOf(int i) {
        return i % 2 == 0 ? "critical" : "low";
    }

    @Test
    void aClientWithoutAValidTokenCannotConnect() {
        String wsUrl = "ws://127.0.0.1:" + gateway.port() + "/ws/alerts";
        CompletionException none = assertThrows(CompletionException.class,
                () -> HTTP.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new java.net.http.WebSocket.Listener() {
                }).join());
        assertInstanceOf(WebSocketHandshakeException.class, none.getCause());
        assertEquals(401, ((WebSocketHandshakeException) none.getCause()).getResponse().statusCode());

        String foreign = dev.tocsin.localinfra.DevJwt.generate().token("mallory", "admin");
        CompletionException forged = assertThrows(CompletionException.class,
                () -> WsClient.connect(wsUrl, foreign, WsClient.TokenTransport.HEADER));
        assertInstanceOf(WebSocketHandshakeException.class, forged.getCause());
        assertEquals(401, ((WebSocketHandshakeException) forged.getCause()).getResponse().statusCode());
    }

    private static String postAlert(int i) throws Exception {
        String body = """
                {"priority":"%s","type":"outbreak_risk","title":"Flood risk %d","message":"River above 5 m",
                 "source":"sensor-7","location":{"lat":48.137,"lon":11.575,"region":"DE-BY"},
                 "riskScore":0.75,"confidence":0.9,"affectedPopulation":12000,
                 "actionRequired":true,"actionUrl":"https://example.org/runbook",
                 "metadata":{"station":"gauge-%d","levels":[4.2,4.9,5.3]}}
                """.formatted(priorityOf(i), i, i);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/api/v1/alerts"))
                        .header("Authorization", "Bearer " + stack.jwt().token("admin", "admin"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }
}
