package dev.tocsin.gateway.ratelimit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocketHandshakeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class RateLimitEndpointTest extends GatewayQuarkusTest {

    @Test
    void floodingGetsWarningsThenABanOnEveryReplicaAndClose4501() {
        String user = "flooder";
        try (TestClient client = connected(user, "viewer")) {
            for (int i = 0; i < 80; i++) {
                client.send("{\"type\":\"ping\",\"id\":\"f" + i + "\"}");
            }
            int pongs = 0;
            int warnings = 0;
            JsonNode lastWarning = null;
            while (true) {
                JsonNode frame;
                try {
                    frame = client.next();
                } catch (AssertionError e) {
                    break; // no more frames: the connection closed
                }
                String type = frame.path("type").asText();
                if (type.equals("pong")) {
                    pongs++;
                } else if (type.equals("rate_limit_warning")) {
                    warnings++;
                    lastWarning = frame;
                }
                if (warnings == 9 && lastWarning != null) {
                    break;
                }
            }
            assertTrue(pongs >= 60 && pongs <= 63, "pongs: " + pongs);
            assertEquals(9, warnings);
            assertEquals(60, lastWarning.path("limit").asInt());
            assertEquals(9, lastWarning.path("violations").asInt());
            assertTrue(lastWarning.path("retryAfterMs").asLong() > 0);
            assertTrue(lastWarning.hasNonNull("ref"));
            assertEquals(4501, client.awaitClosed());
        }
        String ban = redis.value(String.class).get(RedisKeys.defaults().ban(user));
        assertTrue(ban != null && !ban.isBlank());
        long ttl = redis.key().pttl(RedisKeys.defaults().ban(user));
        assertTrue(ttl > 14 * 60_000 && ttl <= 15 * 60_000, "ttl " + ttl);

        // refused at the handshake, with a reason the client can read
        WebSocketHandshakeException refused = refuse(DevJwt.shared().token(user, "viewer"));
        assertEquals(403, refused.getResponse().statusCode());
        assertEquals("banned", refused.getResponse().headers().firstValue("X-Tocsin-Refusal").orElse(null));
        assertTrue(Long.parseLong(refused.getResponse().headers().firstValue("Retry-After").orElse("0")) > 800);
        String text = TestClient.body(refused);
        if (!text.isEmpty()) {
            JsonNode problem = Json.tree(text);
            assertEquals("banned", problem.path("reason").asText());
            assertEquals(403, problem.path("status").asInt());
        }
    }

    @Test
    void aBanSetByAnotherReplicaIsHonoured() {
        String user = "banned-elsewhere";
        redis.value(String.class).psetex(RedisKeys.defaults().ban(user), 60_000, "until later");
        WebSocketHandshakeException refused = refuse(DevJwt.shared().token(user, "operator"));
        assertEquals(403, refused.getResponse().statusCode());
        long retry = Long.parseLong(refused.getResponse().headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retry > 0 && retry <= 60, "retry " + retry);
        redis.key().del(RedisKeys.defaults().ban(user));
        try (TestClient client = connected(user, "operator")) {
            client.assertPingPong("unbanned");
        }
    }

    private WebSocketHandshakeException refuse(String token) {
        return TestClient.refusal(wsUri(), token);
    }
}
