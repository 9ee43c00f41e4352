package dev.tocsin.ingest.delivery;

import dev.tocsin.ingest.CommandStream;
import dev.tocsin.ingest.IngestTest;
import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code GET /api/v1/alerts/{id}/timeline} merges the alert's own changes with its push delivery records (handed over
 * by the relay on the command stream): push_sent, push_failed, one escalation_step per escalation step, by time.
 * Skipped and WebSocket deliveries are not on it; a redelivered record shows once.
 */
@QuarkusTest
@IngestTest
class PushTimelineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Inject
    RedisDataSource redis;

    private CommandStream commands;

    @BeforeEach
    void groupExists() {
        commands = new CommandStream(redis).withGroup();
    }

    private void record(String alertId, String user, DeliveryChannel channel, DeliveryOutcome outcome, String step,
                        String detail, Instant at) {
        commands.send(new IngestCommand.RecordDelivery(
                new DeliveryRecord(alertId, user, channel, outcome, 1, step, detail, at)));
    }

    private static JsonPath timeline(String id) {
        return as("otto", "operator").get("/api/v1/alerts/" + id + "/timeline").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void pushesAndEscalationStepsJoinTheAlertsChangesInTimeOrder() {
        String id = create(alertJson(uniqueType(), "flood"));
        Instant now = Instant.now();
        record(id, "uma", DeliveryChannel.TELEGRAM, DeliveryOutcome.DELIVERED, "offline", "ok", now.plusSeconds(1));
        record(id, "uma", DeliveryChannel.TELEGRAM, DeliveryOutcome.DELIVERED, "offline", "ok", now.plusSeconds(1));
        record(id, "walt", DeliveryChannel.FCM, DeliveryOutcome.DEAD_LETTER, "offline", "fcm_503",
                now.plusSeconds(2));
        record(id, "vic", DeliveryChannel.TELEGRAM, DeliveryOutcome.SKIPPED, "offline", "quiet_hours",
                now.plusSeconds(2));
        record(id, "ada", DeliveryChannel.WEBSOCKET, DeliveryOutcome.DELIVERED, "websocket", null,
                now.plusSeconds(2));
        record(id, "uma", DeliveryChannel.FCM, DeliveryOutcome.DELIVERED, "all-5m", "ok", now.plusSeconds(4));
        record(id, "bo", DeliveryChannel.TELEGRAM, DeliveryOutcome.SKIPPED, "all-5m", "quiet_hours",
                now.plusSeconds(3));
        record(id, "uma", DeliveryChannel.TELEGRAM, DeliveryOutcome.DELIVERED, "follow-up:resolved", "ok",
                now.plusSeconds(6));
        await().atMost(DEADLINE).until(() -> timeline(id).getList("entries").size() == 6);

        JsonPath timeline = timeline(id);
        assertEquals(List.of("created", "push_sent", "push_failed", "escalation_step", "push_sent", "push_sent"),
                timeline.getList("entries.kind"));
        assertEquals(Arrays.asList(null, "uma", "walt", null, "uma", "uma"), timeline.getList("entries.user"));
        assertEquals(Arrays.asList(null, "telegram", "fcm", null, "fcm", "telegram"),
                timeline.getList("entries.channel"));
        assertEquals(Arrays.asList(null, "offline", "offline", "all-5m", "all-5m", "follow-up:resolved"),
                timeline.getList("entries.step"));
        assertEquals("fcm_503", timeline.getString("entries[2].detail"));
        assertEquals(null, timeline.getString("entries[1].detail"));
    }
}
