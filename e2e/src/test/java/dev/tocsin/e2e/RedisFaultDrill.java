package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * The relay settings the drill needs: only the first delivery is under test (an escalation push would be a second
     * one by design); Telegram's pacing of one message a second per chat would stretch the run by minutes; and a step
     * that failed while Redis had no master could not be rescheduled and comes back when its lease ends (5 min by
     * default: a delay, not a loss), which a short lease keeps inside the drill's deadline.
     */
    static final Map<String, String> RELAY_CONFIG = Map.of(
            "tocsin.relay.escalation.critical", "none",
            "tocsin.relay.telegram.per-chat-rate", "100",
            "tocsin.relay.schedule.lease", "15s");

    private final TocsinStack tocsin;
    private final String offlineChat;

    /** A drill on {@code tocsin}'s ingest, first gateway and first relay (started with {@link #RELAY_CONFIG}). */
    RedisFaultDrill(TocsinStack tocsin, String offlineChat) {
        this.tocsin = tocsin;
        this.offlineChat = offlineChat;
    }

    void run(Fault fault) throws Exception {
        HttpResponse<String> channels = tocsin.call("PUT", "/api/v1/users/dave/channels", "dave",
                "viewer", "{\"telegramChatId\":\"" + offlineChat + "\",\"minPriority\":\"medium\"}");
        assertTrue(channels.statusCode() == 200 || channels.statusCode() == 201, channels.body());

        ServiceProcess ingest = tocsin.ingest();
        String wsUrl = tocsin.wsUrl();
        try (ResilientClient alice = new ResilientClient("alice", () -> wsUrl, ingest::baseUrl,
                () -> tocsin.token("alice", "viewer")).start();
             ResilientClient bob = new ResilientClient("bob", () -> wsUrl, ingest::baseUrl,
                     () -> tocsin.token("bob", "viewer")).start();
             AlertPoster poster = new AlertPoster(ingest::baseUrl, () -> tocsin.token("admin", "admin"),
                     "{\"users\":[\"alice\",\"bob\",\"dave\"]}")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> alice.isConnected() && bob.isConnected());
            poster.start();
            poster.awaitAccepted(20);

            fault.inject();
            poster.awaitAccepted(30);
            for (ServiceProcess service : List.of(ingest, tocsin.gateway(), tocsin.relay())) {
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
        for (JsonNode message : tocsin.telegram().messagesTo(offlineChat)) {
            Matcher matcher = NUMBER.matcher(message.path("text").asText());
            if (matcher.find()) {
                counts.merge(Long.parseLong(matcher.group(1)), 1, Integer::sum);
            }
        }
        return counts;
    }
}
