package dev.tocsin.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resume cursor over real sockets (protocol v1.1): a client that keeps only the last cursor it received and
 * resumes with {@code sync {since: cursor, epoch}} gets every alert exactly once, also when a critical alert overtook a
 * lower-priority one waiting for its batch window just before the connection was lost.
 */
@QuarkusTest
@GatewayTest
class CursorResumeTest extends GatewayQuarkusTest {

    /** What a minimal client keeps: the last cursor and its epoch, and (for the test) how often each alert came. */
    static final class Holder {
        String epoch;
        String cursor;
        final Map<String, Integer> alerts = new HashMap<>();
        final List<String> order = new ArrayList<>();

        /** Applies one frame; returns its type. */
        String apply(JsonNode frame) {
            String type = frame.path("type").asText();
            if ("alert".equals(type)) {
                count(frame);
            } else if ("alert_batch".equals(type)) {
                frame.path("alerts").forEach(this::count);
            }
            if (frame.has("cursor")) {
                epoch = frame.path("epoch").asText(null);
                cursor = frame.path("cursor").asText();
            }
            return type;
        }

        private void count(JsonNode alert) {
            String id = alert.path("alertId").asText();
            alerts.merge(id, 1, Integer::sum);
            order.add(id);
        }
    }

    @Test
    void aClientResumingFromItsCursorGetsEveryAlertExactlyOnceAcrossAnOvertake() {
        String user = "cr-alice";
        Audience audience = Audience.of(List.of(user), List.of());
        Holder holder = new Holder();
        AlertEvent low;
        AlertEvent critical;
        try (TestClient first = connected(user, "viewer")) {
            first.assertPingPong("settle"); // a first message ends the hold on connect: live frames flow
            low = publish(Events.created("cr-low", audience, Priority.LOW));
            critical = publish(Events.created("cr-critical", audience, Priority.CRITICAL));
            // Read until the critical alert is in; then the connection is lost, whatever else is on its way.
            while (!holder.alerts.containsKey(critical.alertId())) {
                holder.apply(first.next());
            }
            assertTrue(holder.cursor != null, "the frame that carried the critical alert carried a cursor");
            if (!holder.alerts.containsKey(low.alertId())) {
                // The usual case: the low alert waits for its batch window and the critical one overtook it. The
                // cursor's base stays below the low alert, its critical lane covers the critical one.
                assertEquals(low.seq() - 1 + ";critical=" + critical.seq(), holder.cursor);
            }
        }
        AlertEvent medium = publish(Events.created("cr-medium", audience, Priority.MEDIUM));
        AlertEvent critical2 = publish(Events.created("cr-critical-2", audience, Priority.CRITICAL));

        try (TestClient second = TestClient.connect(wsUri(), DevJwt.shared().token(user, "viewer"))) {
            second.send(Json.encode(Map.of("type", "sync", "id", "resume", "since", holder.cursor,
                    "epoch", holder.epoch)));
            String previousCursor = holder.cursor;
            JsonNode greeting = second.established();
            assertTrue(greeting.has("cursor"), greeting::toString);
            boolean answered = false;
            while (!answered || !holder.alerts.containsKey(critical2.alertId())
                    || !holder.alerts.containsKey(medium.alertId()) || !holder.alerts.containsKey(low.alertId())) {
                JsonNode frame = second.next();
                answered |= "sync_response".equals(holder.apply(frame)) && frame.path("recovered").asBoolean();
            }
            assertFalse(holder.cursor.equals(previousCursor), "the cursor moved on");
            second.assertPingPongSkippingPings("after-resume");
        }
        for (AlertEvent event : List.of(low, critical, medium, critical2)) {
            assertEquals(1, holder.alerts.get(event.alertId()), () -> "not exactly once: " + holder.order);
        }
        assertEquals(4, holder.alerts.size(), () -> "strangers: " + holder.order);
    }

    @Test
    void aSyncWithACursorTheServerNeverSentIsRefusedAndTheConnectionKeepsWorking() {
        try (TestClient client = connected("cr-bob", "viewer")) {
            JsonNode error = client.request("{\"type\":\"sync\",\"id\":\"bad\",\"since\":\"12;urgent=14\","
                    + "\"epoch\":\"e\"}");
            assertEquals("error", error.path("type").asText(), error::toString);
            assertEquals("invalid_message", error.path("code").asText());
            assertEquals("bad", error.path("ref").asText());
            assertFalse(error.path("message").asText().contains("Exception"), error::toString);
            client.assertPingPongSkippingPings("still-open");
        }
    }
}
