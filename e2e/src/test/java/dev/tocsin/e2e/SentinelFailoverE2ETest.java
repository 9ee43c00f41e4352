package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.localinfra.LocalRedisSentinel;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis without a single point of failure: the three packaged services reach Redis only through three sentinels
 * (one master, one replica; every node and sentinel requires a password, as in production). Alerts are posted
 * continuously and the master is SIGKILLed mid-stream; the sentinels promote the replica. Every live client must end
 * with every accepted alert exactly once, in order within each priority; the offline user gets exactly one Telegram
 * push per alert (the relay's stream, consumer group and exactly-once claims moved to the new master); every service
 * is ready again ({@link RedisFaultDrill}); and the gateway really lost its subscription and made it again.
 */
@Tag("redis-ha")
class SentinelFailoverE2ETest {

    private static final String BOT_TOKEN = "123456:e2e-not-a-real-token";

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("sentinel").withSentinel()
            .withTelegramRelays(1, BOT_TOKEN, RedisFaultDrill.RELAY_CONFIG);

    @Test
    void aMasterKilledMidStreamCostsNoAlertAndNoDuplicate() throws Exception {
        LocalRedisSentinel redis = tocsin.stack().sentinel();
        new RedisFaultDrill(tocsin, "3001").run(() -> {
            await().atMost(Duration.ofSeconds(20)).until(redis::replicaInSync);
            int killed = redis.killMaster();
            System.out.println("fault: Redis master on port " + killed + " SIGKILLed");
            int promoted = redis.awaitFailover(killed, Duration.ofSeconds(60));
            System.out.println("fault: sentinels promoted port " + promoted);
        });
        assertTrue(resubscriptions() >= 1, "the gateway re-subscribed after the failover");
    }

    private static long resubscriptions() throws Exception {
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(tocsin.gateway().baseUrl() + "/q/health/ready")).GET().build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : Json.tree(ready.body()).path("checks")) {
            if ("redis-subscription".equals(check.path("name").asText())) {
                return check.path("data").path("resubscriptions").asLong();
            }
        }
        return -1;
    }
}
