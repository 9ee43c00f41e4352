package dev.tocsin.ingest.command;

import dev.tocsin.ingest.CommandStream;
import dev.tocsin.ingest.IngestTest;
import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.protocol.json.Json;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command stream, end to end: XADD as the relay does, stored in MongoDB, read back over REST. */
@QuarkusTest
@IngestTest
class CommandConsumerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Inject
    RedisDataSource redis;

    private CommandStream commands;

    @BeforeEach
    void groupExists() {
        commands = new CommandStream(redis).withGroup();
    }

    private void send(IngestCommand command) {
        commands.send(command);
    }

    private static IngestCommand delivery(String alertId, String user, DeliveryOutcome outcome, int attempts,
            String step, Instant at) {
        return new IngestCommand.RecordDelivery(new DeliveryRecord(alertId, user, DeliveryChannel.TELEGRAM, outcome,
                attempts, step, "detail", at));
    }

    private static JsonPath deliveries(String alertId) {
        return as("otto", "operator").get("/api/v1/alerts/" + alertId + "/deliveries").then().statusCode(200)
                .extract().jsonPath();
    }

    private long pending() {
        return commands.pending();
    }

    @Test
    void deliveryRecordsAreStoredAndRepeatsOverwrite() {
        String id = create(alertJson(uniqueType(), "delivered"));
        Instant t0 = Instant.parse("2025-03-01T10:00:00Z");
        send(delivery(id, "uma", DeliveryOutcome.FAILED, 1, "offline", t0));
        send(delivery(id, "walt", DeliveryOutcome.DELIVERED, 1, "offline", t0.plusSeconds(5)));
        await().atMost(DEADLINE).until(() -> deliveries(id).getList("items").size() == 2);
        JsonPath list = deliveries(id);
        assertEquals(id, list.getString("alertId"));
        assertEquals(List.of("walt", "uma"), list.getList("items.user"), "newest first");
        assertEquals("telegram", list.getString("items[0].channel"));

        // The same key again (a redelivered or retried record) overwrites.
        send(delivery(id, "uma", DeliveryOutcome.DELIVERED, 2, "offline", t0.plusSeconds(10)));
        await().atMost(DEADLINE).until(() -> "delivered".equals(deliveries(id).getString("items[0].outcome"))
                && "uma".equals(deliveries(id).getString("items[0].user")));
        JsonPath after = deliveries(id);
        assertEquals(2, after.getList("items").size());
        assertEquals(2, after.getInt("items[0].attempts"));
        // Another step is another record.
        send(delivery(id, "uma", DeliveryOutcome.SKIPPED, 1, "fcm-2m", t0.plusSeconds(20)));
        await().atMost(DEADLINE).until(() -> deliveries(id).getList("items").size() == 3);
        await().atMost(DEADLINE).until(() -> pending() == 0);
    }

    @Test
    void oneRecordDeliveriesCommandStoresARecordPerUserLikeSingleRecords() {
        String id = create(alertJson(uniqueType(), "broadcast"));
        Instant at = Instant.parse("2025-03-02T08:00:00Z");
        send(new IngestCommand.RecordDeliveries(id, DeliveryChannel.WEBSOCKET, DeliveryOutcome.DELIVERED, 1,
                "websocket", at, List.of("ada", "bo", "cy")));
        await().atMost(DEADLINE).until(() -> deliveries(id).getList("items").size() == 3);
        JsonPath list = deliveries(id);
        assertEquals(Set.of("ada", "bo", "cy"), Set.copyOf(list.getList("items.user")));
        for (int i = 0; i < 3; i++) {
            assertEquals("websocket", list.getString("items[" + i + "].channel"));
            assertEquals("delivered", list.getString("items[" + i + "].outcome"));
            assertEquals("websocket", list.getString("items[" + i + "].step"));
            assertEquals(1, list.getInt("items[" + i + "].attempts"));
            assertEquals(at, Instant.parse(list.getString("items[" + i + "].at")));
        }
        // Repeated (the stream delivers at least once), with one user more: overwrites, adds only the new user.
        send(new IngestCommand.RecordDeliveries(id, DeliveryChannel.WEBSOCKET, DeliveryOutcome.DELIVERED, 1,
                "websocket", at, List.of("ada", "bo", "cy", "dee")));
        await().atMost(DEADLINE).until(() -> deliveries(id).getList("items").size() == 4);
        // A command without users is invalid, not an empty write.
        send(new IngestCommand.RecordDeliveries(id, DeliveryChannel.WEBSOCKET, DeliveryOutcome.DELIVERED, 1,
                "websocket", at, List.of()));
        await().atMost(DEADLINE).until(() -> pending() == 0);
        assertEquals(4, deliveries(id).getList("items").size());
    }

    @Test
    void deadFcmTokensAreRemoved() {
        as("tess", "viewer").body("{\"fcmTokens\":[\"dead-token\",\"live-token\"]}").put("/api/v1/users/tess/channels")
                .then().statusCode(200);
        send(new IngestCommand.RemoveFcmToken("tess", "dead-token", "UNREGISTERED"));
        await().atMost(DEADLINE).until(() -> as("tess", "viewer").get("/api/v1/users/tess/channels").jsonPath()
                .getList("fcmTokens").equals(List.of("live-token")));
        // Repeating it is harmless.
        send(new IngestCommand.RemoveFcmToken("tess", "dead-token", "UNREGISTERED"));
        await().atMost(DEADLINE).until(() -> pending() == 0);
        as("tess", "viewer").get("/api/v1/users/tess/channels").then().body("fcmTokens", equalTo(List.of("live-token")));
    }

    @Test
    void undecodableAndInvalidCommandsAreAcknowledgedAndCounted() {
        commands.raw(Map.of("command", "{not json"));
        commands.raw(Map.of("command", "{\"type\":\"launch_rockets\"}"));
        commands.raw(Map.of("other", "field"));
        send(new IngestCommand.RecordDelivery(new DeliveryRecord(null, "uma", DeliveryChannel.FCM,
                DeliveryOutcome.DELIVERED, 1, "offline", null, null)));
        await().atMost(DEADLINE).until(() -> {
            String metrics = RestAssured.given().get("/q/metrics").asString();
            return metricValue(metrics, "tocsin_ingest_commands_total{outcome=\"invalid\",type=\"unknown\"}") >= 3
                    && metricValue(metrics, "tocsin_ingest_commands_total{outcome=\"invalid\",type=\"record_delivery\"}") >= 1;
        });
        await().atMost(DEADLINE).until(() -> pending() == 0);
    }

    @Test
    void anEntryLeftPendingByADeadConsumerIsClaimedAndApplied() {
        String id = create(alertJson(uniqueType(), "redelivered"));
        IngestCommand command = delivery(id, "zoe", DeliveryOutcome.DELIVERED, 1, "offline", Instant.now());
        // Add and read it as consumer "dead" in one atomic script, so the live consumer (blocked in XREADGROUP)
        // cannot get it first: "dead" now holds it pending and never acknowledges it.
        Object read = redis.execute("EVAL", """
                redis.call('XADD', KEYS[1], '*', 'command', ARGV[1])
                return redis.call('XREADGROUP', 'GROUP', 'ingest', 'dead', 'COUNT', '1', 'STREAMS', KEYS[1], '>')
                """, "1", CommandStream.STREAM, Json.encode(command));
        assertTrue(read != null && read.toString().contains("zoe"), "dead consumer holds the entry: " + read);
        // After claim-min-idle (1 s in tests) the live consumer claims and applies it, then acknowledges it.
        await().atMost(DEADLINE).until(() -> deliveries(id).getList("items.user").contains("zoe"));
        await().atMost(DEADLINE).until(() -> pending() == 0);
    }

    @Test
    void deliveriesNeedOperatorOrAdmin() {
        String id = create(alertJson(uniqueType(), "roles"));
        as("vera", "viewer").get("/api/v1/alerts/" + id + "/deliveries").then().statusCode(403)
                .contentType("application/problem+json");
        RestAssured.given().get("/api/v1/alerts/" + id + "/deliveries").then().statusCode(401);
        admin().get("/api/v1/alerts/" + id + "/deliveries").then().statusCode(200).body("items.size()", equalTo(0));
        admin().get("/api/v1/alerts/65f000000000000000000000/deliveries").then().statusCode(404)
                .contentType("application/problem+json");
        String hidden = create("""
                {"priority":"high","type":"%s","title":"t","message":"m","source":"s","audience":{"users":["bob"]}}
                """.formatted(uniqueType()));
        as("otto", "operator").get("/api/v1/alerts/" + hidden + "/deliveries").then().statusCode(404);
    }

    private static double metricValue(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }
}
