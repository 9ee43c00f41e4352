package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.localinfra.LocalRedisSentinel;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis without a single point of failure: the three packaged services reach Redis only through three sentinels
 * (one master, one replica). Alerts are posted continuously and the master is SIGKILLed mid-stream; the sentinels
 * promote the replica. Every live client must end with every accepted alert exactly once, in order within each
 * priority; the offline user gets exactly one Telegram push per alert (the relay's stream, consumer group and
 * exactly-once claims moved to the new master); every service is ready again.
 */
class SentinelFailoverE2ETest {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String BOT_TOKEN = "123456:e2e-not-a-real-token";
    private static final String OFFLINE_CHAT = "3001";
    private static final Pattern NUMBER = Pattern.compile("Fault drill (\\d+)");

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("sentinel").withSentinel().withTelegramRelays(1, BOT_TOKEN, Map.of(
            // only the first delivery is under test: an escalation push would be a second one by design
            "tocsin.relay.escalation.critical", "none",
            // Telegram pacing (1 message a second per chat) is not under test; it would stretch the run by minutes
            "tocsin.relay.telegram.per-chat-rate", "100",
            // A step that failed while Redis had no master could not be rescheduled; it comes back when its lease
            // ends (5 min by default: a delay, not a loss). A short lease keeps that wait inside the test's deadline.
            "tocsin.relay.schedule.lease", "15s"));

    @Test
    void aMasterKilledMidStreamCostsNoAlertAndNoDuplicate() throws Exception {
        LocalStack stack = tocsin.stack();
        ServiceProcess ingest = tocsin.ingest();
        ServiceProcess gateway = tocsin.gateway();
        ServiceProcess relay = tocsin.relay();
        HttpResponse<String> channels = tocsin.call("PUT", "/api/v1/users/dave/channels", "dave",
                "viewer", "{\"telegramChatId\":\"" + OFFLINE_CHAT + "\",\"minPriority\":\"medium\"}");
        assertTrue(channels.statusCode() == 200 || channels.statusCode() == 201, channels.body());

        LocalRedisSentinel redis = stack.sentinel();
        String wsUrl = tocsin.wsUrl();
        try (ResilientClient alice = new ResilientClient("alice", () -> wsUrl, ingest::baseUrl,
                () -> stack.jwt().token("alice", "viewer")).start();
             ResilientClient bob = new ResilientClient("bob", () -> wsUrl, ingest::baseUrl,
                     () -> stack.jwt().token("bob", "viewer")).start();
             AlertPoster poster = new AlertPoster(ingest::baseUrl, () -> stack.jwt().token("admin", "admin"),
                     "{\"users\":[\"alice\",\"bob\",\"dave\"]}")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> alice.isConnected() && bob.isConnected());
            poster.start();
            poster.awaitAccepted(20);

            await().atMost(Duration.ofSeconds(20)).until(redis::replicaInSync);
            int killed = redis.killMaster();
            System.out.println("fault: Redis master on port " + killed + " SIGKILLed");
            int promoted = redis.awaitFailover(killed, Duration.ofSeconds(60));
            System.out.println("fault: sentinels promoted port " + promoted);
            poster.awaitAccepted(30);

            for (ServiceProcess service : List.of(ingest, gateway, relay)) {
                service.awaitReady(Duration.ofSeconds(60));
            }
            poster.stop();
            Set<Long> accepted = poster.accepted();
            DeliveryCounts.requireExactlyOnceInOrder(accepted, SETTLE, List.of(alice, bob));

            // The gateway really lost its subscription and made it again on the promoted master.
            assertTrue(resubscriptions() >= 1, "the gateway re-subscribed after the failover");

            try {
                await().atMost(SETTLE).until(() -> pushedNumbers().keySet().containsAll(accepted));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.out.printf("dave: still not pushed %s%n",
                        accepted.stream().filter(n -> !pushedNumbers().containsKey(n)).sorted().toList());
            }
            Map<Long, Integer> pushed = pushedNumbers();
            long missing = accepted.stream().filter(n -> !pushed.containsKey(n)).count();
            long duplicates = pushed.values().stream().filter(count -> count > 1).count();
            System.out.printf("dave (offline, Telegram): posted=%d pushed=%d duplicates=%d missing=%d%n",
                    accepted.size(), pushed.size(), duplicates, missing);
            assertEquals(0, missing, "dave missing pushes");
            assertEquals(0, duplicates, "dave duplicate pushes");
        }
    }

    /** Pushes to the offline user per alert number (the number is in the title, which the push text carries). */
    private static Map<Long, Integer> pushedNumbers() {
        Map<Long, Integer> counts = new HashMap<>();
        for (JsonNode message : tocsin.telegram().messagesTo(OFFLINE_CHAT)) {
            Matcher matcher = NUMBER.matcher(message.path("text").asText());
            if (matcher.find()) {
                counts.merge(Long.parseLong(matcher.group(1)), 1, Integer::sum);
            }
        }
        return counts;
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
