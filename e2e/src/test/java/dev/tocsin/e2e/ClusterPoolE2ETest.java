package dev.tocsin.e2e;

import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway on a Redis Cluster whose Redis connection pool is far smaller than the commands a wave of handshakes has
 * in flight, while the client's hash-slot cache expires every few milliseconds. Vert.x's Redis client before 4.5.27
 * deadlocked there for good: every pooled connection waited for a slot refresh that itself needed a pooled
 * connection (vert-x3/vertx-redis-client#548). It happened in CI with the default pool of 24, the boot warm-up's 128
 * commands in flight and the default one-second cache: the gateway never became ready, and in production every
 * Redis read and write of that gateway would have hung from then on. Here the boot warm-up and then a wave of 100
 * handshakes must leave the gateway ready, every client greeted, present in Redis and served its alert.
 */
@Tag("redis-ha")
class ClusterPoolE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CLIENTS = 100;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("cluster-pool").withCluster()
            .withGatewayConfig(Map.of("quarkus.redis.max-pool-size", "2",
                    "quarkus.redis.hash-slot-cache-ttl", "PT0.01S"));

    @Test
    void aHandshakeWaveLargerThanThePoolNeverWedgesTheGatewaysRedis() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        ExecutorService wave = Executors.newFixedThreadPool(25);
        try {
            List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String user = "wave-" + i;
                connecting.add(CompletableFuture.supplyAsync(() -> tocsin.connect(user, "viewer"), wave));
            }
            for (CompletableFuture<WsClient> client : connecting) {
                clients.add(client.join());
            }
            assertEquals(200, readiness(), "the gateway's Redis still answers after the wave");

            // presence is written through the pool by the gateway and read back by ingest
            for (int i = 0; i < CLIENTS; i += 9) {
                String user = "wave-" + i;
                await().atMost(WAIT).until(() -> Json.tree(tocsin.call("GET", "/api/v1/presence/" + user,
                        "admin", "admin", null).body()).path("online").asBoolean());
            }

            HttpResponse<String> created = tocsin.call("POST", "/api/v1/alerts", "admin", "admin",
                    "{\"priority\":\"high\",\"type\":\"outbreak_risk\",\"title\":\"Pool check\",\"message\":\"m\","
                            + "\"source\":\"e2e\",\"audience\":{\"everyone\":true}}");
            assertEquals(201, created.statusCode(), created.body());
            String alertId = Json.tree(created.body()).path("id").asText();
            for (WsClient client : clients) {
                assertEquals(alertId, client.awaitAlerts(1, WAIT).get(0).path("alertId").asText());
            }
            assertTrue(clients.stream().noneMatch(WsClient::isClosed), "no client was dropped");
        } finally {
            wave.shutdownNow();
            clients.forEach(WsClient::close);
        }
    }

    private static int readiness() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(tocsin.gateway().baseUrl() + "/q/health/ready")).GET()
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
