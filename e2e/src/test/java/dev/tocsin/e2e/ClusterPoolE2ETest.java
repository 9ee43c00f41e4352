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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway on a Redis Cluster, with the Redis pool and slot cache it ships with (24 connections, refreshed every
 * second), meets more Redis commands in flight than its pool holds: its boot warm-up, then a wave of 300 handshakes.
 * Vert.x's cluster client takes one pooled connection per master for every command, and before 4.5.27 it deadlocked
 * for good when those connections waited for a slot refresh that needed one more (vert-x3/vertx-redis-client#548):
 * in CI a gateway never became ready, and in production every Redis read and write of that gateway would have hung
 * from then on. The gateway must stay ready, and every client be greeted, present in Redis and served its alert.
 */
@Tag("redis-ha")
class ClusterPoolE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CLIENTS = 300;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("cluster-pool").withCluster();

    @Test
    void aHandshakeWaveLargerThanThePoolNeverWedgesTheGatewaysRedis() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        ExecutorService wave = Executors.newFixedThreadPool(50);
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
            for (int i = 0; i < CLIENTS; i += 29) {
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
