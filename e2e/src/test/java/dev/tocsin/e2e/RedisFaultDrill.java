package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;

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
 * The Redis fault drill the high-availability tests share: two live clients (alice, bob) and an offline user with
 * Telegram (dave); alerts posted continuously; a fault injected into Redis mid-stream; then every service must be
 * ready again, both clients must hold every accepted alert exactly once and in order within each priority, and dave
 * must have exactly one push per alert. Prints the counts ({@code posted=… delivered=… missing=… duplicates=…}).
 */
final class RedisFaultDrill {

    /** The fault, injected while alerts are being posted; it prints what it did ({@code fault: …}). */
    interface Fault {
        void inject() throws Exception;
    }

    static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Pattern NUMBER = Pattern.compile("Fault drill (\\d+)");

    private final LocalStack stack;
    private final ServiceProcess ingest;
    private final ServiceProcess gateway;
    private final List<ServiceProcess> services;
    private final FakeTelegram telegram;
    private final String offlineChat;

    RedisFaultDrill(LocalStack stack, ServiceProcess ingest, ServiceProcess gateway, List<ServiceProcess> services,
                    FakeTelegram telegram, String offlineChat) {
        this.stack = stack;
        this.ingest = ingest;
        this.gateway = gateway;
        this.services = services;
        this.telegram = telegram;
        this.offlineChat = offlineChat;
    }

    /**
     * The relay settings the drill needs: only the first delivery is under test (an escalation push would be a second
     * one by design); Telegram's pacing of one message a second per chat would stretch the run by minutes; and a step
     * that failed while Redis had no master could not be rescheduled and comes back when its lease ends (5 min by
     * default: a delay, not a loss), which a short lease keeps inside the drill's deadline.
     */
    static Map<String, String> relayConfig(FakeTelegram telegram) {
        Map<String, String> config = new HashMap<>(telegram.relayConfig());
        config.put("tocsin.relay.escalation.critical", "none");
        config.put("tocsin.relay.telegram.per-chat-rate", "100");
        config.put("tocsin.relay.schedule.lease", "15s");
        return config;
    }

    void run(Fault fault) throws Exception {
        HttpResponse<String> channels = Tocsin.call(stack, ingest, "PUT", "/api/v1/users/dave/channels", "dave",
                "viewer", "{\"telegramChatId\":\"" + offlineChat + "\",\"minPriority\":\"medium\"}");
        assertTrue(channels.statusCode() == 200 || channels.statusCode() == 201, channels.body());

        String wsUrl = "ws://127.0.0.1:" + gateway.port() + "/ws/alerts";
        try (ResilientClient alice = new ResilientClient("alice", () -> wsUrl, ingest::baseUrl,
                () -> stack.jwt().token("alice", "viewer")).start();
             ResilientClient bob = new ResilientClient("bob", () -> wsUrl, ingest::baseUrl,
                     () -> stack.jwt().token("bob", "viewer")).start();
             AlertPoster poster = new AlertPoster(ingest::baseUrl, () -> stack.jwt().token("admin", "admin"),
                     "{\"users\":[\"alice\",\"bob\",\"dave\"]}")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> alice.isConnected() && bob.isConnected());
            poster.start();
            poster.awaitAccepted(20);

            fault.inject();
            poster.awaitAccepted(30);
            for (ServiceProcess service : services) {
                service.awaitReady(Duration.ofSeconds(60));
            }
            poster.stop();
            Set<Long> accepted = poster.accepted();
            DeliveryCounts.requireExactlyOnceInOrder(accepted, SETTLE, List.of(alice, bob));

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
    private Map<Long, Integer> pushedNumbers() {
        Map<Long, Integer> counts = new HashMap<>();
        for (JsonNode message : telegram.messagesTo(offlineChat)) {
            Matcher matcher = NUMBER.matcher(message.path("text").asText());
            if (matcher.find()) {
                counts.merge(Long.parseLong(matcher.group(1)), 1, Integer::sum);
            }
        }
        return counts;
    }
}
