package dev.tocsin.gateway.heartbeat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.RawWebSocketClient;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats with a 500 ms interval: a client that never sends a message but whose WebSocket library answers ping
 * frames (as browsers do) stays; a client that answers nothing is closed with 4001 within the documented bound; the
 * informational JSON {@code ping} keeps coming and needs no answer.
 */
@QuarkusTest
@TestProfile(HeartbeatTest.ShortHeartbeat.class)
@GatewayTest
class HeartbeatTest extends GatewayQuarkusTest {

    static final long INTERVAL_MS = 500;

    public static class ShortHeartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tocsin.gateway.heartbeat-interval", INTERVAL_MS + "ms");
        }
    }

    /** The JDK client answers ping frames with pong frames by itself and, here, never sends a message. */
    @Test
    void aClientThatOnlyAnswersPingFramesStaysConnectedForManyIntervals() {
        String key = RedisKeys.defaults().presence("hb-browser");
        try (TestClient client = connected("hb-browser", "viewer")) {
            double firstScore = presenceScore(key);
            // 32 informational pings, one per interval, none answered: 32 intervals, 16 times the silence limit
            for (int i = 0; i < 32; i++) {
                JsonNode ping = client.next("ping");
                assertEquals(1, ping.path("v").asInt());
                assertTrue(ping.hasNonNull("serverTime"));
                assertTrue(client.isOpen(), "closed after " + i + " intervals");
            }
            assertTrue(client.isOpen());
            assertTrue(presenceScore(key) > firstScore, "presence refreshed while connected");
            // and it still receives what is addressed to it
            publish(Events.created("hb-alert-1", Audience.of(List.of("hb-browser"), List.of())));
            assertEquals("hb-alert-1", client.next("alert").path("alertId").asText());
        }
    }

    /**
     * A raw socket that answers nothing at all, not even ping frames: closed with 4001, not before two intervals of
     * silence and within 2.25 intervals (plus one interval of slack for a busy machine's timers).
     */
    @Test
    void aClientThatAnswersNothingIsClosedWith4001WithinTheBound() throws Exception {
        awaitSubscribed();
        long beforeHandshake = System.nanoTime();
        try (RawWebSocketClient raw = RawWebSocketClient.connect(wsUri(), DevJwt.shared().token("hb-silent", "viewer"))) {
            long afterHandshake = System.nanoTime();
            String first = raw.nextText();
            assertEquals("connection_established", Json.tree(first).path("type").asText());
            String frame;
            int pings = 0;
            while ((frame = raw.nextText()) != null) { // ping frames are read and dropped unanswered
                pings += "ping".equals(Json.tree(frame).path("type").asText()) ? 1 : 0;
            }
            long closedAt = System.nanoTime();
            assertEquals(4001, raw.closeCode());
            assertTrue(pings >= 1, "the informational ping arrived (" + pings + ")");
            // the server last heard the client during the handshake: between these two readings
            long silenceAtLeastMs = Duration.ofNanos(closedAt - afterHandshake).toMillis();
            long silenceAtMostMs = Duration.ofNanos(closedAt - beforeHandshake).toMillis();
            assertTrue(silenceAtLeastMs >= 2 * INTERVAL_MS - 50, "closed after only " + silenceAtLeastMs + " ms");
            assertTrue(silenceAtMostMs <= INTERVAL_MS * 9 / 4 + INTERVAL_MS,
                    "closed " + silenceAtMostMs + " ms after the last frame heard");
        }
    }

    @Test
    void anExpiredTokenEndsTheSessionWith4003() {
        String shortLived = DevJwt.shared().token("hb-expiring", List.of("viewer"), Duration.ofSeconds(2));
        try (TestClient client = TestClient.connect(wsUri(), shortLived)) {
            client.established();
            // alive all along (its library answers the ping frames), until the token runs out
            assertEquals(4003, client.awaitClosed());
        }
    }

    @Test
    void theJsonPingMayStillBeAnsweredAndThePingMessageIsAnsweredWithPong() {
        try (TestClient client = connected("hb-json", "viewer")) {
            client.next("ping");
            client.send("{\"type\":\"pong\"}"); // harmless: no answer, no error
            client.assertPingPongSkippingPings("still-open");
            assertTrue(client.isOpen());
        }
    }

    private double presenceScore(String key) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> {
            List<ScoredValue<String>> members = redis.sortedSet(String.class).zrangeWithScores(key, 0, -1);
            return members.size() == 1 ? members.get(0).score() : null;
        }, score -> score != null);
    }
}
