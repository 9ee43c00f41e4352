package dev.tocsin.gateway.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class SubscriptionEndpointTest extends GatewayQuarkusTest {

    @Test
    void subscribeAndUnsubscribeAnswerWithTheSubscriptionInForce() {
        try (TestClient client = connected("sub-alice", "viewer", "north")) {
            JsonNode answer = client.request("{\"type\":\"unsubscribe\",\"id\":\"u1\",\"groups\":[\"north\",\"everyone\"]}");
            assertEquals("subscription_response", answer.path("type").asText());
            assertEquals("u1", answer.path("ref").asText());
            assertEquals(List.of("direct", "viewer"), texts(answer.path("groups")));
            assertFalse(answer.has("filters"));

            answer = client.request("{\"type\":\"subscribe\",\"id\":\"s1\",\"groups\":[\"north\"]}");
            assertEquals(List.of("direct", "north", "viewer"), texts(answer.path("groups")));
        }
    }

    @Test
    void subscribingToAForeignGroupIsForbiddenAndChangesNothing() {
        try (TestClient client = connected("sub-bob", "viewer")) {
            JsonNode error = client.request("{\"type\":\"subscribe\",\"id\":\"f1\",\"groups\":[\"south\"]}");
            assertEquals("error", error.path("type").asText());
            assertEquals("forbidden", error.path("code").asText());
            assertEquals("f1", error.path("ref").asText());
            assertTrue(error.path("message").asText().contains("south"));
            // still subscribed to everyone: an alert for everyone arrives
            publish(Events.created("after-forbidden", Audience.EVERYONE));
            assertEquals("after-forbidden", client.next("alert").path("alertId").asText());
        }
    }

    @Test
    void missingOrWrongTypedGroupsAreInvalid() {
        try (TestClient client = connected("sub-carol", "viewer")) {
            JsonNode error = client.request("{\"type\":\"subscribe\",\"id\":\"m1\"}");
            assertEquals("invalid_message", error.path("code").asText());
            assertTrue(error.path("message").asText().contains("groups"), error::toString);
            error = client.request("{\"type\":\"subscribe\",\"id\":\"m2\",\"groups\":{\"a\":1}}");
            assertEquals("invalid_message", error.path("code").asText());
            assertTrue(error.path("message").asText().contains("groups"), error::toString);
            client.assertPingPong("after-invalid-groups");
        }
    }

    @Test
    void unsubscribedGroupsNoLongerDeliverButAudienceStillRules() {
        try (TestClient client = connected("sub-dave", "viewer", "north")) {
            client.request("{\"type\":\"unsubscribe\",\"groups\":[\"everyone\"]}");
            publish(Events.created("to-everyone", Audience.EVERYONE));
            publish(Events.created("to-north", Audience.of(List.of(), List.of("north"))));
            publish(Events.created("to-dave", Audience.of(List.of("sub-dave"), List.of())));
            publish(Events.created("to-south", Audience.of(List.of(), List.of("south"))));
            assertEquals("to-north", client.next("alert").path("alertId").asText());
            assertEquals("to-dave", client.next("alert").path("alertId").asText());
            // neither the unsubscribed everyone alert nor south's (audience) came: the marker is next
            client.request("{\"type\":\"subscribe\",\"groups\":[\"everyone\"]}");
            publish(Events.created("marker-dave", Audience.EVERYONE));
            assertEquals("marker-dave", client.next("alert").path("alertId").asText());
        }
    }

    @Test
    void filtersNarrowNewAlertsButNotChanges() {
        try (TestClient client = connected("sub-erin", "viewer")) {
            JsonNode answer = client.request("{\"type\":\"update_filters\",\"id\":\"uf\",\"filters\":{"
                    + "\"priorities\":[\"critical\"],\"regions\":[\"DE-BY\"],\"minRiskScore\":0.5,"
                    + "\"area\":{\"circle\":{\"lat\":48.1,\"lon\":11.5,\"radiusKm\":50}}}}");
            assertEquals("subscription_response", answer.path("type").asText());
            assertEquals("uf", answer.path("ref").asText());
            assertEquals("critical", answer.path("filters").path("priorities").get(0).asText());

            Alert outside = withLocation(Events.alert("f-outside", Audience.EVERYONE), new Location(52.5, 13.4, "DE-BE"));
            publish(Events.created(outside));
            publish(Events.created("f-high", Audience.EVERYONE, Priority.HIGH));
            publish(Events.created("f-pass", Audience.EVERYONE));
            assertEquals("f-pass", client.next("alert").path("alertId").asText());

            // an update of the filtered-out alert still arrives: filters apply to new alerts only
            publish(Events.updated(Events.changed(outside, AlertStatus.CLEARED, null, null, AlertChange.CLEARED)));
            JsonNode update = client.next("alert_update");
            assertEquals("f-outside", update.path("alertId").asText());
            assertEquals("cleared", update.path("status").asText());

            answer = client.request("{\"type\":\"update_filters\",\"filters\":null}");
            assertFalse(answer.has("filters"));
            publish(Events.created(outside.id() + "-again", Audience.EVERYONE));
            assertEquals("f-outside-again", client.next("alert").path("alertId").asText());
        }
    }

    @Test
    void invalidFiltersNameTheField() {
        try (TestClient client = connected("sub-frank", "viewer")) {
            JsonNode error = client.request("{\"type\":\"update_filters\",\"id\":\"bad\",\"filters\":{\"minRiskScore\":3}}");
            assertEquals("invalid_message", error.path("code").asText());
            assertEquals("bad", error.path("ref").asText());
            assertTrue(error.path("message").asText().contains("filters.minRiskScore"), error::toString);

            error = client.request("{\"type\":\"update_filters\",\"filters\":{\"area\":{\"bbox\":{\"minLat\":10,"
                    + "\"minLon\":0,\"maxLat\":0,\"maxLon\":1}}}}");
            assertTrue(error.path("message").asText().contains("filters.area.bbox"), error::toString);

            error = client.request("{\"type\":\"update_filters\",\"filters\":{\"priorities\":[\"urgent\"]}}");
            assertEquals("invalid_message", error.path("code").asText());
            assertTrue(error.path("message").asText().contains("priorities"), error::toString);
            client.assertPingPong("after-bad-filters");
        }
    }

    @Test
    void twoUsersNeverSeeEachOthersPrivateAlerts() {
        try (TestClient alice = connected("priv-alice", "viewer", "team-a");
             TestClient bob = connected("priv-bob", "operator", "team-b")) {
            List<String> aliceIds = new ArrayList<>();
            List<String> bobIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                publish(Events.created("pa-" + i, Audience.of(List.of("priv-alice"), List.of())));
                publish(Events.created("pb-" + i, Audience.of(List.of("priv-bob"), List.of())));
                publish(Events.created("ga-" + i, new Audience(false, Set.of(), Set.of("team-a"))));
                publish(Events.created("gb-" + i, new Audience(false, Set.of(), Set.of("team-b"))));
            }
            publish(Events.created("priv-marker", Audience.EVERYONE));
            collectUntil(alice, "priv-marker", aliceIds);
            collectUntil(bob, "priv-marker", bobIds);
            assertEquals(List.of("pa-0", "ga-0", "pa-1", "ga-1", "pa-2", "ga-2", "priv-marker"), aliceIds);
            assertEquals(List.of("pb-0", "gb-0", "pb-1", "gb-1", "pb-2", "gb-2", "priv-marker"), bobIds);

            // nor do they see changes of the other's alerts
            Alert bobs = Events.alert("pb-0", Audience.of(List.of("priv-bob"), List.of()));
            publish(Events.updated(Events.changed(bobs, AlertStatus.ACTIVE, "priv-bob", Instant.now(),
                    AlertChange.ACKNOWLEDGED)));
            assertEquals("pb-0", bob.next("alert_ack").path("alertId").asText());
            publish(Events.created("priv-marker-2", Audience.EVERYONE));
            assertEquals("priv-marker-2", alice.next("alert").path("alertId").asText());
        }
    }

    private static void collectUntil(TestClient client, String last, List<String> ids) {
        String id;
        do {
            id = client.next("alert").path("alertId").asText();
            ids.add(id);
        } while (!id.equals(last));
    }

    private static Alert withLocation(Alert a, Location location) {
        return new Alert(a.id(), a.priority(), a.type(), a.title(), a.message(), a.source(), location, a.riskScore(),
                a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(), a.expiresAt(), a.createdAt(),
                a.updatedAt(), a.audience(), a.metadata(), a.status(), null, null, null, null, null, null);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
