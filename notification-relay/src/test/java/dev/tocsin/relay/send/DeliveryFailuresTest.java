package dev.tocsin.relay.send;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.relay.support.FakePushServers;
import dev.tocsin.relay.support.LogCapture;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@RelayTest
class DeliveryFailuresTest extends RelayTestBase {

    private Alert highFor(String user) {
        return Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null);
    }

    private DeliveryRecord onlyRecord(Alert alert) {
        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).size() == 1);
        return relay.records(alert.id()).get(0);
    }

    @Test
    void telegram429IsRetriedAfterRetryAfterAndDeliveredOnce() {
        String user = Relay.unique("u");
        String chat = Relay.unique("flood");
        relay.user(user, chat, List.of());
        double retries = Relay.metric("tocsin_relay_retries_total", Map.of("channel", "telegram"));
        Alert alert = highFor(user);

        relay.created(alert);

        DeliveryRecord record = onlyRecord(alert);
        assertEquals(DeliveryOutcome.DELIVERED, record.outcome());
        assertEquals(2, record.attempts());
        assertEquals(2, relay.telegramRequests(chat));
        assertEquals(1, relay.telegramSent(chat));
        assertTrue(Relay.metric("tocsin_relay_retries_total", Map.of("channel", "telegram")) >= retries + 1);
    }

    @Test
    void a5xxEveryTimeEndsAsDeadLetterAfterMaxAttemptsAndTheBotTokenIsNeverLogged() {
        String user = Relay.unique("u");
        String chat = Relay.unique("down");
        relay.user(user, chat, List.of());
        double dead = Relay.metric("tocsin_relay_dead_letters_total", Map.of("channel", "telegram"));
        double deadSends = Relay.metric("tocsin_relay_sends_total", Map.of("channel", "telegram", "outcome", "dead_letter"));
        Alert alert = highFor(user);

        DeliveryRecord record;
        List<String> logged;
        try (LogCapture log = LogCapture.start()) {
            relay.created(alert);
            record = onlyRecord(alert);
            logged = log.lines();
        }

        assertEquals(DeliveryOutcome.DEAD_LETTER, record.outcome());
        assertEquals(3, record.attempts(), "tocsin.relay.retry.max-attempts=3 in %test");
        assertEquals("telegram_502", record.detail());
        assertEquals(3, relay.telegramRequests(chat));
        assertEquals(dead + 1, Relay.metric("tocsin_relay_dead_letters_total", Map.of("channel", "telegram")));
        assertEquals(deadSends + 1,
                Relay.metric("tocsin_relay_sends_total", Map.of("channel", "telegram", "outcome", "dead_letter")));
        Map<String, String> letter = relay.deadLetters().stream()
                .filter(l -> alert.id().equals(l.get("alertId"))).findFirst().orElseThrow();
        assertEquals(user, letter.get("user"));
        assertEquals("telegram", letter.get("channel"));
        assertEquals("3", letter.get("attempts"));

        assertTrue(logged.stream().anyMatch(l -> l.contains(alert.id()) && l.contains("dead-letter")),
                "the give-up is logged: " + logged);
        String secret = FakePushServers.BOT_TOKEN;
        String secretPart = secret.substring(secret.indexOf(':') + 1);
        for (String line : logged) {
            assertFalse(line.contains(secretPart), "bot token in the log: " + line);
        }
        assertFalse(letter.toString().contains(secretPart));
        assertFalse(relay.commands().toString().contains(secretPart));
        assertFalse(Relay.sampleText().contains(secretPart), "bot token in /q/metrics");
    }

    @Test
    void telegram403FailsWithoutRetry() {
        String user = Relay.unique("u");
        String chat = Relay.unique("blocked");
        relay.user(user, chat, List.of());
        Alert alert = highFor(user);

        relay.created(alert);

        DeliveryRecord record = onlyRecord(alert);
        assertEquals(DeliveryOutcome.FAILED, record.outcome());
        assertEquals("telegram_403", record.detail());
        assertEquals(1, relay.telegramRequests(chat));
    }

    @Test
    void unregisteredTokenFailsOnceAndAsksIngestToRemoveIt() {
        String user = Relay.unique("u");
        String token = Relay.unique("unregistered");
        relay.user(user, null, List.of(token));
        Alert alert = highFor(user);

        relay.created(alert);

        DeliveryRecord record = onlyRecord(alert);
        assertEquals(DeliveryChannel.FCM, record.channel());
        assertEquals(DeliveryOutcome.FAILED, record.outcome());
        assertEquals("UNREGISTERED", record.detail());
        assertEquals(1, relay.fcmRequests(token), "no retry");
        await().atMost(Relay.DEADLINE).until(() -> relay.commands().contains(
                new IngestCommand.RemoveFcmToken(user, token, "UNREGISTERED")));
    }

    @Test
    void invalidTokenFailsOnceAndAsksIngestToRemoveIt() {
        String user = Relay.unique("u");
        String token = Relay.unique("invalid");
        relay.user(user, null, List.of(token));
        Alert alert = highFor(user);

        relay.created(alert);

        DeliveryRecord record = onlyRecord(alert);
        assertEquals(DeliveryOutcome.FAILED, record.outcome());
        assertEquals("INVALID_ARGUMENT", record.detail());
        assertEquals(1, relay.fcmRequests(token));
        await().atMost(Relay.DEADLINE).until(() -> relay.commands().contains(
                new IngestCommand.RemoveFcmToken(user, token, "INVALID_ARGUMENT")));
    }

    @Test
    void fcmUnavailableIsRetriedHonouringRetryAfterAndQuotaExceededEndsAsDeadLetter() {
        String user = Relay.unique("u");
        String busy = Relay.unique("busy");
        String quota = Relay.unique("quota");
        relay.user(user, null, List.of(busy, quota));
        double dead = Relay.metric("tocsin_relay_dead_letters_total", Map.of("channel", "fcm"));
        Alert alert = highFor(user);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).size() == 2);
        List<DeliveryRecord> records = relay.records(alert.id());
        assertTrue(records.stream().anyMatch(r -> r.outcome() == DeliveryOutcome.DELIVERED && r.attempts() == 2),
                records.toString());
        assertTrue(records.stream().anyMatch(r -> r.outcome() == DeliveryOutcome.DEAD_LETTER
                && r.detail().equals("QUOTA_EXCEEDED") && r.attempts() == 3), records.toString());
        assertEquals(1, relay.fcmSent(busy));
        assertEquals(3, relay.fcmRequests(quota));
        assertEquals(dead + 1, Relay.metric("tocsin_relay_dead_letters_total", Map.of("channel", "fcm")));
        assertTrue(relay.commands().stream().noneMatch(c -> c instanceof IngestCommand.RemoveFcmToken r
                && (r.token().equals(busy) || r.token().equals(quota))), "retryable errors keep the token");
    }

    @Test
    void theOAuthGrantIsSignedVerifiedAndItsAccessTokenCached() {
        String user = Relay.unique("u");
        String first = Relay.unique("tok");
        String second = Relay.unique("tok");
        relay.user(user, null, List.of(first, second));
        Alert one = highFor(user);
        Alert two = highFor(user);

        relay.created(one);
        relay.created(two);

        await().atMost(Relay.DEADLINE).until(() -> relay.fcmSent(first) == 2 && relay.fcmSent(second) == 2);
        List<com.fasterxml.jackson.databind.JsonNode> grants = relay.pushRequests().stream()
                .filter(r -> r.path("kind").asText().equals("oauth")).toList();
        assertEquals(1, grants.size(), "one access token for every send so far: " + grants);
        assertEquals(200, grants.get(0).path("status").asInt(), grants.toString());
    }
}
