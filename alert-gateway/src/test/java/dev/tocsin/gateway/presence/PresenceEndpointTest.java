package dev.tocsin.gateway.presence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import io.quarkus.redis.datasource.sortedset.ScoredValue;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class PresenceEndpointTest extends GatewayQuarkusTest {

    @Inject
    InstanceId instanceId;

    @Test
    void aConnectionIsPresentWhileOpenAndGoneAfterClose() {
        String key = RedisKeys.defaults().presence("pres-alice");
        String member;
        try (TestClient client = connected("pres-alice", "viewer")) {
            client.send("{\"type\":\"get_stats\"}");
            client.next("connection_stats");
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(key) == 1);
            List<ScoredValue<String>> members = redis.sortedSet(String.class).zrangeWithScores(key, 0, -1);
            member = members.get(0).value();
            assertTrue(member.startsWith(instanceId.value() + "/"), member);
            long expiresIn = (long) members.get(0).score() - System.currentTimeMillis();
            assertTrue(expiresIn > 50_000 && expiresIn <= 60_000, "expires in " + expiresIn); // two 30 s heartbeats
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(key) == 0);
    }

    @Test
    void staleEntriesArePrunedAndDoNotCount() {
        String user = "pres-stale";
        String key = RedisKeys.defaults().presence(user);
        for (int i = 0; i < 5; i++) {
            redis.sortedSet(String.class).zadd(key, System.currentTimeMillis() - 1_000, "dead-replica/conn-" + i);
        }
        try (TestClient client = connected(user, "viewer")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(key) == 1);
            client.assertPingPong("stale-pruned");
        }
    }

    @Test
    void theSixthConnectionOfAUserIsRefusedWith429() {
        String user = "pres-many";
        String key = RedisKeys.defaults().presence(user);
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                clients.add(connected(user, "viewer"));
                int expected = i + 1;
                await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(key) == expected);
            }
            WebSocketHandshakeException refused = TestClient.refusal(wsUri(), DevJwt.shared().token(user, "viewer"));
            assertEquals(429, refused.getResponse().statusCode());
            assertEquals("too_many_connections",
                    refused.getResponse().headers().firstValue("X-Tocsin-Refusal").orElse(null));
            String body = TestClient.body(refused);
            if (!body.isEmpty()) {
                JsonNode problem = Json.tree(body);
                assertEquals("too_many_connections", problem.path("reason").asText());
            }
            // another user is not affected
            try (TestClient other = connected("pres-other", "viewer")) {
                other.assertPingPong("other-user");
            }
            clients.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.sortedSet(String.class).zcard(key) == 4);
            clients.add(connected(user, "viewer"));
        } finally {
            clients.forEach(TestClient::close);
        }
    }
}
