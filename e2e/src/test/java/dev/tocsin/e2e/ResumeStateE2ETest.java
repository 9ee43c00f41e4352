package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State that {@code sync} never drops, through the real services: a client away while someone else acknowledges an
 * alert it shows and an operator clears another comes back with {@code sync {since: cursor, epoch}} and ends with the
 * same state as a client that stayed connected; acks and clears are answered with their ref.
 */
class ResumeStateE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("resume-state");

    @Test
    void aClientThatWasAwayEndsWithTheStateOfOneThatStayed() throws Exception {
        try (WsClient witness = connect("wes", "viewer")) {
            AlertView away = new AlertView();
            String acked;
            String cleared;
            String cursor;
            String epoch;
            try (WsClient ana = connect("ana", "viewer")) {
                acked = post("medium", "flood_risk");
                cleared = post("high", "pump_pressure");
                ana.awaitFirst(f -> holds(f, cleared), WAIT);
                ana.awaitFirst(f -> holds(f, acked), WAIT);
                JsonNode last = null;
                for (JsonNode frame : ana.frames()) {
                    away.frame(frame);
                    if (frame.has("cursor")) {
                        last = frame;
                    }
                }
                assertTrue(last != null, "frames carry a cursor");
                cursor = last.path("cursor").asText();
                epoch = last.path("epoch").asText();
            }

            // While ana is away: bea acknowledges one of her alerts over the WebSocket, an operator clears another.
            try (WsClient bea = connect("bea", "viewer"); WsClient oscar = connect("oscar", "operator")) {
                bea.send("{\"type\":\"ack\",\"id\":\"b1\",\"alertId\":\"" + acked + "\"}");
                JsonNode result = bea.awaitFirst(f -> "ack_result".equals(f.path("type").asText()), WAIT);
                assertEquals("b1", result.path("ref").asText());
                assertFalse(result.path("already").asBoolean(), result::toString);
                assertEquals("bea", result.path("acknowledgedBy").asText());
                bea.send("{\"type\":\"ack\",\"id\":\"b2\",\"alertId\":\"" + acked + "\"}");
                JsonNode again = bea.awaitFirst(f -> "ack_result".equals(f.path("type").asText())
                        && "b2".equals(f.path("ref").asText()), WAIT);
                assertTrue(again.path("already").asBoolean(), "a repeated ack changes nothing and says so");
                assertEquals(result.path("version").asLong(), again.path("version").asLong());

                oscar.send("{\"type\":\"clear\",\"id\":\"o1\",\"types\":[\"pump_pressure\"]}");
                JsonNode clearResult = oscar.awaitFirst(f -> "clear_result".equals(f.path("type").asText()), WAIT);
                assertEquals("o1", clearResult.path("ref").asText());
                assertEquals(1, clearResult.path("cleared").asLong(), clearResult::toString);
            }
            String fresh = post("low", "flood_risk");
            witness.awaitFirst(f -> holds(f, fresh), WAIT);

            try (WsClient back = WsClient.connect(tocsin.wsUrl(), tocsin.token("ana", "viewer"),
                    WsClient.TokenTransport.HEADER)) {
                back.send(Json.encode(Map.of("type", "sync", "id", "s1", "since", cursor, "epoch", epoch)));
                JsonNode response = back.awaitFirst(f -> "sync_response".equals(f.path("type").asText()), WAIT);
                assertTrue(response.path("recovered").asBoolean(), response::toString);
                assertEquals("s1", response.path("ref").asText());
                String marker = post("critical", "marker");
                back.awaitFirst(f -> holds(f, marker), WAIT);
                witness.awaitFirst(f -> holds(f, marker), WAIT);
                back.frames().forEach(away::frame);
            }
            AlertView stayed = new AlertView();
            witness.frames().forEach(stayed::frame);
            assertEquals(stayed.alerts, away.alerts, "the returning client's view differs from the witness's");
            Map<String, AlertView.Held> byStatus = new TreeMap<>(away.alerts);
            assertEquals("bea", byStatus.get(acked).acknowledgedBy());
            assertEquals("cleared", byStatus.get(cleared).status());
            assertTrue(byStatus.containsKey(fresh), "the alert created while away was replayed");
        }
    }

    private static boolean holds(JsonNode frame, String alertId) {
        return WsClient.holdsAlert(frame, alertId);
    }

    private static WsClient connect(String user, String role) {
        return tocsin.connect(user, role);
    }

    private static String post(String priority, String type) throws Exception {
        HttpResponse<String> response = tocsin.call("POST", "/api/v1/alerts", "admin", "admin", """
                {"priority":"%s","type":"%s","title":"Level","message":"Above limit","source":"plant-1"}"""
                .formatted(priority, type));
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }
}
