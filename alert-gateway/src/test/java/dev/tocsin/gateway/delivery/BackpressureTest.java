package dev.tocsin.gateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.RawWebSocketClient;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow consumers with a small outbound queue: a client that stops reading loses low-priority frames (and is told
 * with a gap), never critical ones, does not hold up others, and is closed with 4002 when its queue stays full.
 */
@QuarkusTest
@TestProfile(BackpressureTest.SmallQueue.class)
@GatewayTest
class BackpressureTest extends GatewayQuarkusTest {

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tocsin.gateway.outbound.queue-size", "20",
                    "tocsin.gateway.outbound.max-in-flight", "4",
                    "tocsin.gateway.outbound.stuck-timeout", "8s",
                    "tocsin.gateway.batch.max-size", "1"); // one frame per alert: the queue fills quickly
        }
    }

    private static final String BIG = "x".repeat(32_000);

    @Inject
    MeterRegistry registry;

    @Inject
    OpenConnections connections;

    @Test
    void aReaderThatPausesGetsAGapButEveryCriticalAlertAndOthersAreNotSlowed() throws Exception {
        try (RawWebSocketClient slow = RawWebSocketClient.connect(wsUri(), DevJwt.shared().token("bp-slow", "viewer"));
             TestClient healthy = connected("bp-healthy", "viewer")) {
            double dropsBefore = drops();
            List<AlertEvent> lows = new ArrayList<>();
            // Publish in rounds of 5 until the slow client's queue overflows. The healthy client reads each round before
            // the next is published: it keeps receiving while the slow one is stuck, and never lags by more than a
            // round, so only the slow one can overflow (whatever the scheduling of this JVM's threads).
            for (int round = 0; round < 80 && drops() == dropsBefore; round++) {
                List<AlertEvent> published = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    published.add(publish(Events.created(big("bp-low-" + (round * 5 + i), Priority.LOW))));
                }
                for (AlertEvent event : published) {
                    assertEquals(event.alertId(), healthy.next("alert").path("alertId").asText());
                }
                lows.addAll(published);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> drops() > dropsBefore);
            List<AlertEvent> criticals = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                AlertEvent event = Events.created(big("bp-crit-" + i, Priority.CRITICAL));
                criticals.add(publish(event));
            }
            // the healthy client got everything, in order (the lows above), while the slow one is still stuck
            for (AlertEvent event : criticals) {
                assertEquals(event.alertId(), healthy.next("alert").path("alertId").asText());
            }

            // now the slow client reads: a gap, all criticals, lows in order, and the connection still works
            Set<String> criticalIds = new HashSet<>();
            JsonNode gap = null;
            long lastLowSeq = -1;
            String text;
            while (criticalIds.size() < criticals.size() && (text = slow.nextText()) != null) {
                JsonNode frame = Json.tree(text);
                switch (frame.path("type").asText()) {
                    case "gap" -> gap = frame;
                    case "alert" -> {
                        if (frame.path("alert").path("priority").asText().equals("critical")) {
                            criticalIds.add(frame.path("alertId").asText());
                        } else {
                            assertTrue(frame.path("seq").asLong() > lastLowSeq, "reordered within a priority");
                            lastLowSeq = frame.path("seq").asLong();
                        }
                    }
                    default -> { }
                }
            }
            assertEquals(criticals.size(), criticalIds.size(), "every critical alert arrives");
            while (gap == null && (text = slow.nextText()) != null) {
                JsonNode frame = Json.tree(text);
                if (frame.path("type").asText().equals("gap")) {
                    gap = frame;
                }
            }
            assertTrue(gap != null, "a gap notice arrives");
            assertEquals("slow_consumer", gap.path("reason").asText());
            assertTrue(gap.path("dropped").asLong() >= 1);
            assertTrue(gap.path("fromSeq").asLong() >= lows.get(0).seq());
            assertTrue(gap.path("toSeq").asLong() >= gap.path("fromSeq").asLong());
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedWithSlowConsumer() throws Exception {
        double closesBefore = closes();
        try (RawWebSocketClient stuck = RawWebSocketClient.connect(wsUri(), DevJwt.shared().token("bp-stuck", "viewer"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> connections.stream().count() >= 1);
            long before = connections.stream().count();
            double dropsBefore = drops();
            for (int i = 0; i < 400 && drops() == dropsBefore; i++) {
                publish(Events.created(big("bp-stuck-" + i, Priority.INFO)));
            }
            // its queue stays full: closed after the stuck timeout, and its memory released
            await().atMost(Duration.ofSeconds(30)).until(() -> closes() > closesBefore);
            await().atMost(Duration.ofSeconds(10)).until(() -> connections.stream().count() < before);
        }
    }

    private Alert big(String id, Priority priority) {
        Alert a = Events.alert(id, Audience.EVERYONE, priority);
        return new Alert(a.id(), a.priority(), a.type(), a.title(), BIG, a.source(), a.location(), a.riskScore(),
                a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(), a.expiresAt(), a.createdAt(),
                a.updatedAt(), a.audience(), a.metadata(), null, null, null, null, null, null, null);
    }

    private double drops() {
        return registry.get("tocsin.gateway.dropped").tag("reason", "slow_consumer").counter().count();
    }

    private double closes() {
        var counter = registry.find("tocsin.gateway.closes").tag("reason", "slow_consumer").counter();
        return counter == null ? 0 : counter.count();
    }
}
