package dev.tocsin.gateway.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.GatewayTestSupport;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@GatewayTest
class AlertFanoutTest extends GatewayTestSupport {

    @Test
    void eventsReachEveryClientOnceInOrderWithFieldsIntact() {
        try (TestClient one = connected("alice", "viewer");
             TestClient two = connected("bob", "operator")) {
            List<AlertEvent> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                AlertEvent event = Events.created("order-" + i, null);
                events.add(publish(event));
            }
            for (TestClient client : List.of(one, two)) {
                for (AlertEvent expected : events) {
                    JsonNode frame = client.next("alert");
                    assertEquals(1, frame.path("v").asInt());
                    assertEquals(expected.epoch(), frame.path("epoch").asText());
                    assertEquals(expected.seq(), frame.path("seq").asLong());
                    assertEquals("created", frame.path("op").asText());
                    assertEquals(expected.alertId(), frame.path("alertId").asText());
                    // The alert travels unchanged through Redis and the gateway.
                    assertEquals(expected.alert(), Json.convert(frame.path("alert"), Alert.class));
                }
            }
            // Exactly once: the next frame on each client is the marker, not a repeat.
            AlertEvent marker = Events.created("order-marker", null);
            marker = publish(marker);
            assertEquals(marker.seq(), one.next("alert").path("seq").asLong());
            assertEquals(marker.seq(), two.next("alert").path("seq").asLong());
        }
    }

    @Test
    void userAudienceReachesOnlyThatUser() {
        try (TestClient alice = connected("alice", "viewer");
             TestClient bob = connected("bob", "viewer")) {
            AlertEvent forAlice = Events.created("for-alice", Audience.of(List.of("alice"), List.of()));
            AlertEvent forAll = Events.created("for-all", Audience.EVERYONE);
            publish(forAlice);
            publish(forAll);
            assertEquals("for-alice", alice.next("alert").path("alertId").asText());
            assertEquals("for-all", alice.next("alert").path("alertId").asText());
            // Bob's first alert is the one for everyone: the one for alice never reached him.
            assertEquals("for-all", bob.next("alert").path("alertId").asText());
        }
    }

    @Test
    void groupAudienceReachesGroupMembers() {
        try (TestClient member = connected("carol", "viewer", "ops-team");
             TestClient outsider = connected("dave", "viewer")) {
            publish(Events.created("for-ops", new Audience(false, Set.of(), Set.of("ops-team"))));
            publish(Events.created("after-ops", null));
            assertEquals("for-ops", member.next("alert").path("alertId").asText());
            assertEquals("after-ops", member.next("alert").path("alertId").asText());
            assertEquals("after-ops", outsider.next("alert").path("alertId").asText());
        }
    }

    @Test
    void deleteWithoutBodyGoesToEveryoneAsIdOnly() {
        try (TestClient alice = connected("alice", "viewer");
             TestClient bob = connected("bob", "viewer")) {
            AlertEvent deleted = Events.deleted("gone-1");
            deleted = publish(deleted);
            for (TestClient client : List.of(alice, bob)) {
                JsonNode frame = client.next("alert_update");
                assertEquals("deleted", frame.path("status").asText());
                assertEquals(deleted.seq(), frame.path("seq").asLong());
                assertEquals("gone-1", frame.path("alertId").asText());
                assertFalse(frame.has("alert"), frame::toString);
            }
        }
    }

    @Test
    void undecodableMessagesAreSkippedAndTheNextEventArrives() {
        try (TestClient client = connected("alice", "viewer")) {
            publishRaw("{this is not json");
            publishRaw("{\"epoch\":\"e\",\"seq\":1,\"op\":\"created\"}"); // no alertId, no alert
            publishRaw("{\"epoch\":\"e\",\"seq\":2,\"op\":\"exploded\",\"alertId\":\"x\"}"); // unknown op
            AlertEvent valid = Events.created("after-garbage", null);
            valid = publish(valid);
            JsonNode frame = client.next("alert");
            assertEquals("after-garbage", frame.path("alertId").asText());
            assertEquals(valid.seq(), frame.path("seq").asLong());
            client.assertPingPong("still-open");
        }
    }

    @Test
    void aBrokenConnectionDoesNotAffectTheOthers() {
        try (TestClient healthy = connected("alice", "viewer");
             TestClient broken = connected("bob", "viewer")) {
            broken.socket().abort(); // TCP gone without a close handshake
            List<AlertEvent> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                AlertEvent event = Events.created("survivor-" + i, null);
                events.add(publish(event));
            }
            for (AlertEvent event : events) {
                assertEquals(event.seq(), healthy.next("alert").path("seq").asLong());
            }
            healthy.assertPingPong("healthy");
        }
    }

    private TestClient connected(String user, String... groups) {
        awaitSubscribed();
        TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token(user, groups));
        client.established();
        return client;
    }
}
