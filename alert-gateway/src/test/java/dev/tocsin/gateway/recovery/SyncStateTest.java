package dev.tocsin.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sync} never drops state: whatever it narrows, a client that comes back ends with the same alerts in the same
 * state as a client that stayed connected. Client A is away while user B acknowledges an alert A holds, an operator
 * clears another, and a new alert is created and acknowledged; client C (same audience) stays connected throughout.
 * Events go through the real Redis history and channel, as alert-ingest publishes them.
 */
@QuarkusTest
@GatewayTest
class SyncStateTest extends GatewayQuarkusTest {

    /** What happened while A was away, and where A stood when it left. */
    private record Away(String epoch, long since, String acked, String cleared, String createdAndAcked,
                        List<JsonNode> seenByA, State stayed) {
    }

    @Test
    void changesAreReplayedByDefaultAndAlreadyAcknowledgedNewAlertsAreNot() {
        Away away = awayWhileOthersAct("sd");
        List<JsonNode> replayed = comeBackAndSync("sd", away, "", 3);
        assertEquals(List.of("alert_ack " + away.acked(), "alert_update " + away.cleared(),
                "alert_ack " + away.createdAndAcked()), describe(replayed));
        assertEquals("cleared", replayed.get(1).path("status").asText());
        assertEquals("sd-b", replayed.get(0).path("acknowledgedBy").asText());

        State a = State.of(away.seenByA()).apply(replayed);
        // A never got the third alert, so it ignores its acknowledgment: it holds the first two, as before
        assertEquals(Set.of(away.acked(), away.cleared()), a.alerts.keySet());
        assertEquals(away.stayed().only(a.alerts.keySet()), a.alerts, "A's state differs from C's");
        assertEquals(new Entry("active", "sd-b", 2), a.alerts.get(away.acked()));
        assertEquals(new Entry("cleared", null, 2), a.alerts.get(away.cleared()));
    }

    @Test
    void includeAcknowledgedReplaysTheAcknowledgedNewAlertToo() {
        Away away = awayWhileOthersAct("si");
        List<JsonNode> replayed = comeBackAndSync("si", away, ",\"includeAcknowledged\":true", 4);
        assertEquals(List.of("alert_ack " + away.acked(), "alert_update " + away.cleared(),
                "alert " + away.createdAndAcked(), "alert_ack " + away.createdAndAcked()), describe(replayed));

        State a = State.of(away.seenByA()).apply(replayed);
        assertEquals(away.stayed().alerts, a.alerts, "A's state differs from C's");
    }

    @Test
    void prioritiesNarrowOnlyNewAlertsNeverTheirChanges() {
        Away away = awayWhileOthersAct("sp");
        AlertEvent low = publish(Events.created(Events.versioned(
                Events.alert("sp-low", Audience.of(List.of(), List.of("sp-team")), Priority.LOW), 1)));
        // only low alerts, acknowledged ones included: the critical third alert's frame is narrowed away, no change is
        List<JsonNode> replayed = comeBackAndSync("sp", away,
                ",\"priorities\":[\"low\"],\"includeAcknowledged\":true", 4);
        assertEquals(List.of("alert_ack " + away.acked(), "alert_update " + away.cleared(),
                "alert_ack " + away.createdAndAcked(), "alert " + low.alertId()), describe(replayed));
    }

    /**
     * A and C connect (users {@code <p>-a}, {@code <p>-c} of group {@code <p>-team}) and get two alerts; A leaves.
     * Then {@code <p>-b} acknowledges the first, an operator clears the second, and a third is created and
     * acknowledged. Returns once C has seen all of it.
     */
    private Away awayWhileOthersAct(String p) {
        Audience team = Audience.of(List.of(), List.of(p + "-team"));
        try (TestClient stays = connected(p + "-c", "viewer", p + "-team")) {
            List<JsonNode> seenByA = new ArrayList<>();
            AlertEvent last;
            Alert first;
            Alert second;
            try (TestClient leaves = connected(p + "-a", "viewer", p + "-team")) {
                first = Events.versioned(Events.alert(p + "-first", team), 1);
                second = Events.versioned(Events.alert(p + "-second", team), 1);
                publish(Events.created(first));
                last = publish(Events.created(second));
                seenByA.add(leaves.next("alert"));
                seenByA.add(leaves.next("alert"));
                assertEquals(last.seq(), seenByA.get(1).path("seq").asLong());
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            publish(Events.updated(Events.versioned(
                    Events.changed(first, AlertStatus.ACTIVE, p + "-b", now, AlertChange.ACKNOWLEDGED), 2)));
            publish(Events.updated(Events.versioned(
                    Events.changed(second, AlertStatus.CLEARED, null, null, AlertChange.CLEARED), 2)));
            Alert third = Events.versioned(Events.alert(p + "-third", team), 1);
            publish(Events.created(third));
            publish(Events.updated(Events.versioned(
                    Events.changed(third, AlertStatus.ACTIVE, p + "-b", now, AlertChange.ACKNOWLEDGED), 2)));

            List<JsonNode> seenByC = new ArrayList<>();
            JsonNode frame;
            do {
                frame = eventFrame(stays);
                seenByC.add(frame);
            } while (!("alert_ack".equals(frame.path("type").asText())
                    && third.id().equals(frame.path("alertId").asText())));
            return new Away(last.epoch(), last.seq(), first.id(), second.id(), third.id(), seenByA,
                    State.of(seenByC));
        }
    }

    /**
     * A connects again, sends {@code sync} from where it left (with {@code extra} fields) as its first message, and
     * returns the replayed frames; the {@code sync_response} must say recovered with {@code count} of them.
     */
    private List<JsonNode> comeBackAndSync(String p, Away away, String extra, int count) {
        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token(p + "-a", "viewer", p + "-team"))) {
            client.send("{\"type\":\"sync\",\"id\":\"back\",\"since\":" + away.since() + ",\"epoch\":\""
                    + away.epoch() + "\"" + extra + "}");
            client.established();
            return replayed(client, "back", count);
        }
    }

    /** The replayed frames of a sync up to its {@code sync_response}, which must say recovered with their count. */
    private static List<JsonNode> replayed(TestClient client, String ref, int count) {
        List<JsonNode> frames = new ArrayList<>();
        JsonNode frame = eventFrame(client);
        while (!"sync_response".equals(frame.path("type").asText())) {
            frames.add(frame);
            frame = eventFrame(client);
        }
        JsonNode response = frame;
        assertEquals(ref, response.path("ref").asText());
        assertTrue(response.path("recovered").asBoolean(), response::toString);
        assertEquals(count, response.path("count").asInt(), () -> response + " after " + describe(frames));
        assertEquals(count, frames.size(), () -> describe(frames).toString());
        return frames;
    }

    /** The next frame that is not a server heartbeat. */
    private static JsonNode eventFrame(TestClient client) {
        JsonNode frame = client.next();
        while ("ping".equals(frame.path("type").asText())) {
            frame = client.next();
        }
        return frame;
    }

    private static List<String> describe(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText() + " " + f.path("alertId").asText()).toList();
    }

    /** What a client shows of an alert. */
    private record Entry(String status, String acknowledgedBy, long version) {
    }

    /**
     * A client's view as the protocol tells a client to keep it: {@code alert} adds an alert; {@code alert_update} and
     * {@code alert_ack} change an alert it holds and are ignored for one it does not hold.
     */
    private static final class State {

        final Map<String, Entry> alerts = new LinkedHashMap<>();

        static State of(List<JsonNode> frames) {
            return new State().apply(frames);
        }

        State apply(List<JsonNode> frames) {
            for (JsonNode frame : frames) {
                String id = frame.path("alertId").asText();
                switch (frame.path("type").asText()) {
                    case "alert" -> alerts.put(id, entry(frame.path("alert")));
                    // live alerts ready at the same moment may leave together; replays are never batched
                    case "alert_batch" -> frame.path("alerts").forEach(
                            batched -> alerts.put(batched.path("alertId").asText(), entry(batched.path("alert"))));
                    case "alert_update" -> alerts.computeIfPresent(id, (k, held) -> entry(frame.path("alert")));
                    case "alert_ack" -> alerts.computeIfPresent(id, (k, held) -> new Entry(held.status(),
                            frame.path("acknowledgedBy").asText(), frame.path("version").asLong()));
                    default -> throw new AssertionError("not an event frame: " + frame);
                }
            }
            return this;
        }

        Map<String, Entry> only(Set<String> ids) {
            Map<String, Entry> subset = new LinkedHashMap<>(alerts);
            subset.keySet().retainAll(ids);
            return subset;
        }

        private static Entry entry(JsonNode alert) {
            return new Entry(alert.path("status").asText("active"),
                    alert.hasNonNull("acknowledgedBy") ? alert.path("acknowledgedBy").asText() : null,
                    alert.path("version").asLong());
        }
    }
}
