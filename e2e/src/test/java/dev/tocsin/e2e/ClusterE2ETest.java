package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.localinfra.LocalRedisCluster;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main path on a Redis Cluster (three masters, a replica each; {@link LocalRedisCluster}): the three packaged
 * services run in cluster mode with the hash-tagged key prefix {@code {tocsin}:}, and everything that lives in Redis
 * works across the cluster's nodes: the published event reaches live clients through pub/sub, the relay's stream and
 * consumer group push to an offline user over Telegram and fill an offline user's inbox, an acknowledgment travels
 * the command stream and comes back to every client, presence is recorded, and a ban is stored and enforced.
 */
@Tag("redis-ha")
class ClusterE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BOT_TOKEN = "123456:e2e-not-a-real-token";
    private static final String OFFLINE_CHAT = "3101";

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("cluster").withCluster()
            // a ban after two refused messages, so that the test can earn one quickly
            .withGatewayConfig(Map.of("tocsin.gateway.rate-limit.per-minute", "5",
                    "tocsin.gateway.rate-limit.ban-after", "2"))
            .withTelegramRelays(1, BOT_TOKEN, Map.of("tocsin.relay.escalation.critical", "none"));

    @Test
    void deliveryPushInboxAckPresenceAndBansWorkOnACluster() throws Exception {
        HttpResponse<String> channels = tocsin.call("PUT", "/api/v1/users/dave/channels", "dave",
                "viewer", "{\"telegramChatId\":\"" + OFFLINE_CHAT + "\",\"minPriority\":\"medium\"}");
        assertTrue(channels.statusCode() == 200 || channels.statusCode() == 201, channels.body());
        String wsUrl = tocsin.wsUrl();
        FakeTelegram telegram = tocsin.telegram();

        try (WsClient alice = WsClient.connect(wsUrl, tocsin.token("alice", "operator"), WsClient.TokenTransport.HEADER);
             WsClient bob = WsClient.connect(wsUrl, tocsin.token("bob", "viewer"), WsClient.TokenTransport.QUERY)) {
            alice.awaitOfType("connection_established", 1, WAIT);
            bob.awaitOfType("connection_established", 1, WAIT);

            // presence: the gateway's session entry, read back by ingest
            await().atMost(WAIT).until(() -> Json.tree(tocsin.call("GET", "/api/v1/presence/alice",
                    "admin", "admin", null).body()).path("online").asBoolean());

            // delivery through pub/sub, and through the relay stream: a push to dave, an inbox entry for carol
            HttpResponse<String> created = tocsin.call("POST", "/api/v1/alerts", "admin", "admin",
                    "{\"priority\":\"high\",\"type\":\"outbreak_risk\",\"title\":\"Cluster check\",\"message\":\"m\","
                            + "\"source\":\"e2e\",\"audience\":{\"users\":[\"alice\",\"bob\",\"carol\",\"dave\"]}}");
            assertEquals(201, created.statusCode(), created.body());
            String alertId = Json.tree(created.body()).path("id").asText();
            assertEquals(alertId, alice.awaitAlerts(1, WAIT).get(0).path("alertId").asText());
            assertEquals(alertId, bob.awaitAlerts(1, WAIT).get(0).path("alertId").asText());
            await().atMost(WAIT).until(() -> telegram.messagesTo(OFFLINE_CHAT).size() == 1);
            assertTrue(telegram.messagesTo(OFFLINE_CHAT).get(0).path("text").asText().contains("Cluster check"));

            try (WsClient carol = WsClient.connect(wsUrl, tocsin.token("carol", "viewer"),
                    WsClient.TokenTransport.HEADER)) {
                assertEquals(alertId, carol.awaitAlerts(1, WAIT).get(0).path("alertId").asText(),
                        "carol was offline: the alert comes from her inbox");

                // an acknowledgment: gateway -> ingest -> MongoDB -> change stream -> every client
                alice.send("{\"type\":\"ack\",\"id\":\"ack-1\",\"alertId\":\"" + alertId + "\"}");
                JsonNode result = alice.awaitFirst(f -> "ack_result".equals(f.path("type").asText()), WAIT);
                assertEquals("alice", result.path("acknowledgedBy").asText());
                for (WsClient client : new WsClient[]{alice, bob, carol}) {
                    JsonNode ack = client.awaitFirst(f -> "alert_ack".equals(f.path("type").asText()), WAIT);
                    assertEquals(alertId, ack.path("alertId").asText());
                }
            }
            assertEquals(1, telegram.messagesTo(OFFLINE_CHAT).size(), "one push, no duplicate");
        }

        // a ban: stored in the cluster and enforced at the next handshake
        try (WsClient mallory = WsClient.connect(wsUrl, tocsin.token("mallory", "viewer"),
                WsClient.TokenTransport.HEADER)) {
            mallory.awaitOfType("connection_established", 1, WAIT);
            for (int i = 0; i < 20 && !mallory.isClosed(); i++) {
                mallory.send("{\"type\":\"ping\",\"id\":\"p" + i + "\"}");
            }
            await().atMost(WAIT).until(mallory::isClosed);
            assertEquals(4501, mallory.closeCode());
        }
        LocalRedisCluster cluster = tocsin.stack().cluster();
        String banKey = LocalRedisCluster.KEY_PREFIX + "ban:mallory";
        assertEquals(1L, cluster.call(cluster.masterOf(banKey), "EXISTS", banKey));
        CompletionException refused = assertThrows(CompletionException.class, () -> WsClient.connect(wsUrl,
                tocsin.token("mallory", "viewer"), WsClient.TokenTransport.HEADER));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(403, handshake.getResponse().statusCode());
        assertEquals("banned", handshake.getResponse().headers().firstValue("X-Tocsin-Refusal").orElse(null));
    }
}
