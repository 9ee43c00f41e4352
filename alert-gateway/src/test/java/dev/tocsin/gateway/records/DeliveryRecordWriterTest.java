package dev.tocsin.gateway.records;

import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class DeliveryRecordWriterTest extends GatewayQuarkusTest {

    /** The delivery records on the command stream for this alert. */
    private List<DeliveryRecord> records(String alertId) {
        return redis.stream(String.class).xrange(RedisKeys.defaults().commands(), StreamRange.of("-", "+")).stream()
                .map(message -> Json.decode(message.payload().get("command"), IngestCommand.class))
                .flatMap(command -> command instanceof IngestCommand.RecordDeliveries many
                        ? many.users().stream().map(many::recordOf)
                        : command instanceof IngestCommand.RecordDelivery one ? Stream.of(one.record()) : Stream.empty())
                .filter(record -> record.alertId().equals(alertId))
                .toList();
    }

    private DeliveryRecord awaitRecord(String alertId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !records(alertId).isEmpty());
        return records(alertId).get(0);
    }

    @Test
    void anAlertWrittenToTheClientIsRecordedAsAWebsocketDelivery() {
        Instant before = Instant.now();
        try (TestClient client = connected("dr-alice", "viewer")) {
            publish(Events.created("dr-1", Audience.of(Set.of("dr-alice"), Set.of()), Priority.CRITICAL));
            assertEquals("dr-1", client.next("alert").path("alertId").asText());

            DeliveryRecord record = awaitRecord("dr-1");
            assertEquals("dr-alice", record.user());
            assertEquals(DeliveryChannel.WEBSOCKET, record.channel());
            assertEquals(DeliveryOutcome.DELIVERED, record.outcome());
            assertEquals(1, record.attempts());
            assertEquals("websocket", record.step());
            assertNull(record.detail());
            assertNotNull(record.at());
            assertTrue(!record.at().isBefore(before.minusSeconds(1)), record.at()::toString);
        }
    }

    @Test
    void alertsOfABatchAreRecordedEach() {
        try (TestClient client = connected("dr-batch", "viewer")) {
            Audience audience = Audience.of(Set.of("dr-batch"), Set.of());
            for (int i = 0; i < 3; i++) {
                publish(Events.created("dr-low-" + i, audience, Priority.LOW));
            }
            int seen = 0;
            while (seen < 3) {
                var frame = client.next();
                String type = frame.path("type").asText();
                seen += type.equals("alert_batch") ? frame.path("alerts").size() : type.equals("alert") ? 1 : 0;
            }
            for (int i = 0; i < 3; i++) {
                assertEquals("dr-batch", awaitRecord("dr-low-" + i).user());
            }
        }
    }

    @Test
    void anAlertReplayedFromTheInboxIsRecorded() {
        String user = "dr-inbox";
        AlertEvent kept = new AlertEvent("relay-epoch", 5, ChangeOp.CREATED, "dr-inboxed",
                Events.alert("dr-inboxed", Audience.of(Set.of(user), Set.of()), Priority.HIGH), "dr-inbox-change",
                Instant.now());
        redis.list(String.class).rpush("tocsin:inbox:" + user, "c|" + Events.json(kept));
        try (TestClient client = connected(user, "viewer")) {
            assertEquals("dr-inboxed", client.next("alert").path("alertId").asText());
            assertEquals(user, awaitRecord("dr-inboxed").user());
        }
    }

    @Test
    void theSameAlertOnTwoConnectionsOfOneUserIsRecordedOnce() {
        Audience audience = Audience.of(Set.of("dr-twice"), Set.of());
        try (TestClient first = connected("dr-twice", "viewer");
                TestClient second = connected("dr-twice", "viewer")) {
            publish(Events.created("dr-2", audience, Priority.CRITICAL));
            first.next("alert");
            second.next("alert");
            // A later alert both connections got, recorded too: every write of the first one has completed by then.
            publish(Events.created("dr-3", audience, Priority.CRITICAL));
            first.next("alert");
            second.next("alert");
            awaitRecord("dr-3");
            // Held over several flush intervals (50 ms in tests): a second record would have been sent meanwhile.
            await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5))
                    .until(() -> records("dr-2").size() == 1 && records("dr-3").size() == 1);
        }
    }

    @Test
    void nothingIsRecordedForAnAlertTheClientNeverReceived() {
        try (TestClient client = connected("dr-carol", "viewer")) {
            // Addressed to a user who is not connected: no frame is written, so no record.
            publish(Events.created("dr-not-sent", Audience.of(Set.of("dr-nobody"), Set.of()), Priority.CRITICAL));
            publish(Events.created("dr-sent", Audience.of(Set.of("dr-carol"), Set.of()), Priority.CRITICAL));
            assertEquals("dr-sent", client.next("alert").path("alertId").asText());
            awaitRecord("dr-sent");
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> records("dr-not-sent").isEmpty());
        }
    }
}
