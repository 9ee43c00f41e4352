package dev.tocsin.relay.dispatch;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Without a bot token and without a service-account key (here: a key file that is absent, as when the optional
 * Secret lacks it) the relay starts, is ready, and records those deliveries as skipped.
 */
@QuarkusTest
@RelayTest
@TestProfile(ChannelsNotConfiguredTest.NoChannels.class)
class ChannelsNotConfiguredTest extends RelayTestBase {

    public static class NoChannels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Telegram: no token at all; FCM: a key file that is not there (an optional Secret without the key)
            return Map.of("tocsin.relay.telegram.bot-token", "",
                    "tocsin.relay.fcm.service-account-file", "/nonexistent/tocsin/fcm-service-account.json");
        }
    }

    @Test
    void deliveriesAreSkippedAsChannelNotConfiguredAndTheRelayIsReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        String token = Relay.unique("tok");
        relay.user(user, chat, List.of(token));
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null);

        relay.created(alert);

        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).size() == 2);
        for (DeliveryRecord record : relay.records(alert.id())) {
            assertEquals(DeliveryOutcome.SKIPPED, record.outcome());
            assertEquals("channel_not_configured", record.detail());
        }
        assertEquals(0, relay.telegramRequests(chat));
        assertEquals(0, relay.fcmRequests(token));
    }
}
