package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.Json;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Lua splice and the atomic publish, against a real redis-server. */
class PublishScriptTest {

    private static LocalRedis server;
    private static Vertx vertx;
    private static Redis redis;
    private static AlertEventPublisher publisher;

    @BeforeAll
    static void start() {
        server = LocalRedis.startOnFreePort();
        vertx = Vertx.vertx();
        redis = LocalParts.redis(vertx, server.uri());
        IngestConfig config = LocalParts.config(Map.of("tocsin.ingest.redis.key-prefix", "t1:"));
        publisher = new AlertEventPublisher(redis, config);
    }

    @AfterAll
    static void stop() {
        redis.close();
        vertx.closeAndAwait();
        server.stop();
    }

    private static AlertEvent event(String id, String title) {
        Alert alert = new Alert(id, Priority.HIGH, "outbreak_risk", title, "m \"quoted\" \u00e9", "s", null, 0.5, null,
                null, false, null, null, Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"),
                Audience.EVERYONE, Map.of("k", List.of(1, 2)), null, null, null, null, null, null, null);
        return new AlertEvent(null, 0, ChangeOp.CREATED, id, alert, "token-" + id, Instant.parse("2025-01-01T00:00:01Z"));
    }

    @Test
    void bodyHasNeitherEpochNorSeq() {
        String body = PublishScript.body(event("a1", "x"));
        assertTrue(body.startsWith("{\"op\":\"created\""), body);
        assertFalse(body.contains("\"seq\""));
        assertFalse(body.contains("\"epoch\""));
    }

    @Test
    void splicedEventDecodesAndSeqRisesByOne() {
        Redis client = redis;
        long first = publisher.publish(event("a2", "first"));
        long second = publisher.publish(event("a3", "second"));
        assertEquals(first + 1, second);

        List<AlertEvent> history = LocalParts.history(client, "t1:history");
        AlertEvent last = history.get(history.size() - 1);
        AlertEvent expected = event("a3", "second");
        String epoch = client.send(Request.cmd(Command.GET).arg("t1:epoch")).await().atMost(Duration.ofSeconds(5)).toString();
        assertEquals(new AlertEvent(epoch, second, expected.op(), expected.alertId(), expected.alert(),
                expected.changeId(), expected.publishedAt()), last, "the published text decodes to the event");
        assertEquals(epoch, history.get(history.size() - 2).epoch());
    }

    @Test
    void theRelayStreamGetsTheSameEventAsTheHistory() {
        long seq = publisher.publish(event("r1", "for the relay"));
        List<AlertEvent> history = LocalParts.history(redis, "t1:history");
        List<AlertEvent> relay = LocalParts.history(redis, "t1:relay");
        AlertEvent fromRelay = relay.get(relay.size() - 1);
        assertEquals(seq, fromRelay.seq());
        assertEquals(history.get(history.size() - 1), fromRelay, "one event, written to both streams");
        assertEquals(String.valueOf(seq), redis.send(Request.cmd(Command.XREVRANGE).arg("t1:relay").arg("+").arg("-")
                .arg("COUNT").arg(1)).await().atMost(Duration.ofSeconds(5)).get(0).get(1).get(1).toString(),
                "the relay entry carries seq as a field");
    }

    @Test
    void theRelayStreamIsTrimmedToItsBound() {
        IngestConfig config = LocalParts.config(Map.of("tocsin.ingest.redis.key-prefix", "t3:",
                "tocsin.ingest.redis.relay-max-length", "10"));
        AlertEventPublisher bounded = new AlertEventPublisher(redis, config);
        for (int i = 0; i < 500; i++) {
            bounded.publish(event("t" + i, "n" + i));
        }
        long length = redis.send(Request.cmd(Command.XLEN).arg("t3:relay")).await().atMost(Duration.ofSeconds(5)).toLong();
        assertTrue(length < 500, "MAXLEN ~ trims the relay stream (length " + length + ")");
    }

    @Test
    void worksAfterRedisForgotTheScript() {
        redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await().atMost(Duration.ofSeconds(5));
        long seq = publisher.publish(event("a4", "after flush"));
        assertTrue(seq > 0);
    }

    @Test
    void aRestartedSequenceGetsANewEpoch() {
        IngestConfig config = LocalParts.config(Map.of("tocsin.ingest.redis.key-prefix", "t2:"));
        AlertEventPublisher other = new AlertEventPublisher(redis, config);
        assertEquals(1, other.publish(event("b1", "one")));
        String epoch1 = redis.send(Request.cmd(Command.GET).arg("t2:epoch")).await().atMost(Duration.ofSeconds(5)).toString();
        redis.send(Request.cmd(Command.DEL).arg("t2:seq")).await().atMost(Duration.ofSeconds(5));
        assertEquals(1, other.publish(event("b2", "two")));
        String epoch2 = redis.send(Request.cmd(Command.GET).arg("t2:epoch")).await().atMost(Duration.ofSeconds(5)).toString();
        assertNotEquals(epoch1, epoch2);
        // History entries are addressed by seq: the old epoch's entries cannot stay next to the new ones.
        List<AlertEvent> history = LocalParts.history(redis, "t2:history");
        assertEquals(1, history.size());
        assertEquals(epoch2, history.get(0).epoch());
        assertEquals(1, history.get(0).seq());
        assertEquals(Json.decode(Json.encode(history.get(0)), AlertEvent.class), history.get(0));
    }
}
