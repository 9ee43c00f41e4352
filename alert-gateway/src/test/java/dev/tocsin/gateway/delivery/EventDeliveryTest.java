package dev.tocsin.gateway.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class EventDeliveryTest extends GatewayQuarkusTest {

    @Test
    void changesBecomeUpdateAndAckFrames() {
        try (TestClient client = connected("ev-alice", "viewer")) {
            Alert alert = Events.alert("ev-1", Audience.EVERYONE);
            publish(Events.created(alert));
            assertEquals("ev-1", client.next("alert").path("alertId").asText());

            Instant ackAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            publish(Events.updated(Events.changed(alert, AlertStatus.ACTIVE, "ev-bob", ackAt, AlertChange.ACKNOWLEDGED)));
            JsonNode ack = client.next("alert_ack");
            assertEquals(1, ack.path("v").asInt());
            assertEquals("ev-1", ack.path("alertId").asText());
            assertEquals("ev-bob", ack.path("acknowledgedBy").asText());
            assertEquals(ackAt, Instant.parse(ack.path("acknowledgedAt").asText()));

            AlertEvent edited = Events.updated(Events.changed(alert, AlertStatus.ACTIVE, null, null, AlertChange.UPDATED));
            edited = publish(edited);
            JsonNode update = client.next("alert_update");
            assertEquals("updated", update.path("status").asText());
            assertEquals(edited.seq(), update.path("seq").asLong());
            assertEquals(edited.epoch(), update.path("epoch").asText());
            assertEquals("ev-1", update.path("alert").path("id").asText());

            publish(Events.updated(Events.changed(alert, AlertStatus.CLEARED, null, null, AlertChange.CLEARED)));
            assertEquals("cleared", client.next("alert_update").path("status").asText());
            publish(Events.updated(Events.changed(alert, AlertStatus.EXPIRED, null, null, AlertChange.EXPIRED)));
            assertEquals("expired", client.next("alert_update").path("status").asText());

            publish(Events.deleted("ev-1"));
            JsonNode deleted = client.next("alert_update");
            assertEquals("deleted", deleted.path("status").asText());
            assertFalse(deleted.has("alert"));
        }
    }

    @Test
    void nonCriticalAlertsAreBatchedInOrderAndCriticalOnesAreNot() {
        try (TestClient client = connected("ev-batch", "viewer")) {
            List<AlertEvent> lows = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                AlertEvent event = Events.created("low-" + i, Audience.EVERYONE, Priority.LOW);
                lows.add(publish(event));
            }
            AlertEvent critical = Events.created("crit-in-between", Audience.EVERYONE, Priority.CRITICAL);
            critical = publish(critical);

            // the critical alert is never part of a batch; the low ones come in order, at least some batched
            List<Long> seqs = new ArrayList<>();
            boolean criticalSeen = false;
            int batches = 0;
            while (seqs.size() < lows.size() || !criticalSeen) {
                JsonNode frame = client.next();
                String type = frame.path("type").asText();
                if (type.equals("ping")) {
                    continue; // the heartbeat's timer is shared by all connections: a ping may fall anywhere
                }
                if (type.equals("alert_batch")) {
                    batches++;
                    assertTrue(frame.path("alerts").size() <= 50);
                    for (JsonNode entry : frame.path("alerts")) {
                        assertFalse(entry.has("type"), entry::toString);
                        assertEquals("low", entry.path("alert").path("priority").asText());
                        seqs.add(entry.path("seq").asLong());
                    }
                } else if (frame.path("alert").path("priority").asText().equals("critical")) {
                    assertEquals(critical.seq(), frame.path("seq").asLong());
                    criticalSeen = true;
                } else {
                    assertEquals("alert", type, frame::toString);
                    seqs.add(frame.path("seq").asLong());
                }
            }
            assertTrue(batches >= 1, "five alerts published within one window were not batched");
            assertEquals(lows.stream().map(AlertEvent::seq).toList(), seqs, "never reordered within a priority");
        }
    }

    @Test
    void aSingleBatchedAlertIsSentAsAlertAndAnUpdateNeverOvertakesIt() {
        try (TestClient client = connected("ev-single", "viewer")) {
            Alert alert = Events.alert("single-medium", Audience.EVERYONE, Priority.MEDIUM);
            publish(Events.created(alert));
            publish(Events.updated(Events.changed(alert, AlertStatus.CLEARED, null, null, AlertChange.CLEARED)));
            JsonNode frame = client.next("alert");
            assertEquals("single-medium", frame.path("alertId").asText());
            assertEquals("created", frame.path("op").asText());
            assertEquals("cleared", client.next("alert_update").path("status").asText());
        }
    }

    @Test
    void getStatsCountsFramesAndLatency() {
        try (TestClient client = connected("ev-stats", "viewer")) {
            publish(Events.created("stat-1", Audience.EVERYONE));
            client.next("alert");
            client.send("{\"type\":\"get_stats\",\"id\":\"st\"}");
            JsonNode stats = client.next("connection_stats");
            assertEquals("st", stats.path("ref").asText());
            assertEquals(1, stats.path("received").asLong());
            // greeting and the alert, plus any heartbeat ping the timer wrote before the stats were taken (those come
            // before connection_stats on the socket, so next() skipped exactly them)
            assertEquals(2 + client.skippedPings(), stats.path("sent").asLong());
            assertEquals(0, stats.path("dropped").asLong());
            assertEquals(1, stats.path("latencyMs").path("samples").asLong());
            assertTrue(stats.path("latencyMs").path("max").asDouble() >= 0);
            assertTrue(stats.path("latencyMs").path("max").asDouble() < 60_000);
            assertTrue(stats.hasNonNull("connectedAt"));
        }
    }

    @Test
    void greetingAnnouncesTheLimits() {
        awaitSubscribed();
        try (TestClient client = TestClient.connect(wsUri(),
                dev.tocsin.localinfra.DevJwt.shared().token("ev-limits", "viewer"))) {
            JsonNode limits = client.established().path("limits");
            assertEquals(65_536, limits.path("maxFrameBytes").asInt());
            assertEquals(60, limits.path("messagesPerMinute").asInt());
            assertEquals(5, limits.path("maxConnectionsPerUser").asInt());
            assertEquals(100, limits.path("batchWindowMs").asInt());
            assertEquals(50, limits.path("maxBatchSize").asInt());
            assertEquals(1000, limits.path("outboundQueueSize").asInt());
        }
    }
}
