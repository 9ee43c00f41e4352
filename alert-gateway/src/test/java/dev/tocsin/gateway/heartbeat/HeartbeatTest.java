package dev.tocsin.gateway.heartbeat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heartbeats with a 1 s interval: pings arrive, silent clients go (4001), answering ones stay. */
@QuarkusTest
@TestProfile(HeartbeatTest.ShortHeartbeat.class)
@GatewayTest
class HeartbeatTest extends GatewayQuarkusTest {

    public static class ShortHeartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tocsin.gateway.heartbeat-interval", "1s");
        }
    }

    @Test
    void silentClientIsClosedWithHeartbeatTimeout() {
        try (TestClient client = connected("hb-silent", "viewer")) {
            JsonNode ping = client.next("ping");
            assertEquals(1, ping.path("v").asInt());
            assertTrue(ping.hasNonNull("serverTime"));
            // it never answers: closed after two silent intervals
            assertEquals(4001, client.awaitClosed());
        }
    }

    @Test
    void answeringClientStaysOpenAndItsPresenceIsRefreshed() {
        String key = RedisKeys.defaults().presence("hb-alive");
        try (TestClient client = connected("hb-alive", "viewer")) {
            Instant until = Instant.now().plusSeconds(4); // more than three intervals
            double firstScore = -1;
            while (Instant.now().isBefore(until)) {
                client.nextSkippingPings("ping"); // every ping...
                client.send("{\"type\":\"pong\"}"); // ...is answered
                List<ScoredValue<String>> members = redis.sortedSet(String.class).zrangeWithScores(key, 0, -1);
                if (!members.isEmpty() && firstScore < 0) {
                    firstScore = members.get(0).score();
                }
            }
            assertTrue(client.isOpen());
            client.assertPingPongSkippingPings("still-open");
            double first = firstScore;
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                List<ScoredValue<String>> members = redis.sortedSet(String.class).zrangeWithScores(key, 0, -1);
                return members.size() == 1 && members.get(0).score() > first;
            });
        }
    }

    @Test
    void anExpiredTokenEndsTheSessionWith4003() {
        String shortLived = DevJwt.shared().token("hb-expiring", List.of("viewer"), Duration.ofSeconds(2));
        try (TestClient client = TestClient.connect(wsUri(), shortLived)) {
            client.established();
            // keeps answering (so it is never silent) until the server ends the session
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
                if (client.isOpen()) {
                    client.socket().sendText("{\"type\":\"pong\"}", true);
                    return false;
                }
                return true;
            });
            assertEquals(4003, client.awaitClosed());
        }
    }
}
