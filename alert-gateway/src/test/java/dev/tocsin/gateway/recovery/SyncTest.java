package dev.tocsin.gateway.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.pipeline.EventPipeline;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@GatewayTest
class SyncTest extends GatewayQuarkusTest {

    @Inject
    EventPipeline pipeline;

    private static String sync(String id, long since, String epoch, String extra) {
        return "{\"type\":\"sync\",\"id\":\"" + id + "\",\"since\":" + since
                + (epoch == null ? "" : ",\"epoch\":\"" + epoch + "\"") + extra + "}";
    }

    @Test
    void greetingCarriesThePosition() {
        AlertEvent last = publish(Events.created("sy-pos", Audience.of(List.of("nobody"), List.of())));
        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token("sy-pos", "viewer"))) {
            JsonNode greeting = client.established();
            assertEquals(last.epoch(), greeting.path("epoch").asText());
            assertTrue(greeting.path("seq").asLong() >= last.seq());
        }
    }

    @Test
    void syncReplaysWhatWasMissedThenLiveWithoutHoleOrDuplicateWhileEventsKeepComing() throws Exception {
        String user = "sy-alice";
        long since;
        String epoch;
        try (TestClient first = connected(user, "viewer")) {
            AlertEvent seen = publish(Events.created("sy-seen", Audience.EVERYONE));
            assertEquals(seen.seq(), first.next("alert").path("seq").asLong());
            since = seen.seq();
            epoch = seen.epoch();
        }
        List<AlertEvent> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(publish(Events.created("sy-missed-" + i, Audience.EVERYONE)));
        }
        // Other users' alerts are in the history too and must not be replayed to this one.
        publish(Events.created("sy-foreign", Audience.of(List.of("someone-else"), List.of())));

        // Events keep coming while the client reconnects and syncs.
        CompletableFuture<List<AlertEvent>> during = CompletableFuture.supplyAsync(() -> {
            List<AlertEvent> published = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                published.add(publish(Events.created("sy-live-" + i, Audience.EVERYONE)));
            }
            return published;
        });
        try (TestClient client = TestClient.connect(wsUri(), DevJwt.shared().token(user, "viewer"))) {
            client.send(sync("s1", since, epoch, ""));
            client.established();
            List<AlertEvent> live = during.get(30, TimeUnit.SECONDS);
            expected.addAll(live);
            long lastSeq = live.get(live.size() - 1).seq();

            List<Long> seqs = new ArrayList<>();
            JsonNode response = null;
            int beforeResponse = 0;
            // until the answer and the last live event: when the live events were all published before the sync ran,
            // the replay itself reaches lastSeq and the answer follows it
            while (response == null || seqs.isEmpty() || seqs.get(seqs.size() - 1) < lastSeq) {
                JsonNode frame = client.next();
                switch (frame.path("type").asText()) {
                    case "alert" -> seqs.add(frame.path("seq").asLong());
                    case "alert_batch" -> frame.path("alerts").forEach(a -> seqs.add(a.path("seq").asLong()));
                    case "sync_response" -> {
                        response = frame;
                        beforeResponse = seqs.size();
                    }
                    case "ping" -> { }
                    default -> throw new AssertionError("unexpected frame " + frame);
                }
            }
            assertTrue(response != null, "no sync_response");
            assertEquals("s1", response.path("ref").asText());
            assertTrue(response.path("recovered").asBoolean(), response::toString);
            assertEquals(epoch, response.path("epoch").asText());
            assertEquals(since + 1, response.path("fromSeq").asLong());
            long toSeq = response.path("toSeq").asLong();
            assertEquals(beforeResponse, response.path("count").asInt());
            for (int i = 0; i < seqs.size(); i++) {
                if (i < beforeResponse) {
                    assertTrue(seqs.get(i) <= toSeq, "replayed frame after toSeq: " + seqs);
                } else {
                    assertTrue(seqs.get(i) > toSeq, "live frame at or before toSeq: " + seqs);
                }
                if (i > 0) {
                    assertTrue(seqs.get(i) > seqs.get(i - 1), "not in order or duplicated: " + seqs);
                }
            }
            assertEquals(expected.stream().map(AlertEvent::seq).toList(), seqs, "hole or stranger in " + seqs);
            client.assertPingPong("after-sync");
        }
    }

    @Test
    void syncWithNothingMissedAnswersAtOnce() {
        try (TestClient client = connected("sy-none", "viewer")) {
            long seq = pipeline.position().seq();
            client.send(sync("n1", seq, pipeline.position().epoch(), ""));
            JsonNode response = client.next("sync_response");
            assertTrue(response.path("recovered").asBoolean());
            assertEquals(0, response.path("count").asInt());
        }
    }

    /** The event as published two days ago: beyond the in-memory window's age bound, so a sync reads Redis. */
    private static AlertEvent publishedLongAgo(AlertEvent event) {
        return new AlertEvent(event.epoch(), event.seq(), event.op(), event.alertId(), event.alert(), event.changeId(),
                Instant.now().minus(Duration.ofDays(2)), event.note(), event.stateOnly());
    }

    /** Collects the seqs of the alerts before the {@code sync_response}, and returns that response. */
    private static JsonNode replayedUntilResponse(TestClient client, List<Long> replayed) {
        JsonNode frame;
        while (!"sync_response".equals((frame = client.next()).path("type").asText())) {
            switch (frame.path("type").asText()) {
                case "alert" -> replayed.add(frame.path("seq").asLong());
                case "alert_batch" -> frame.path("alerts").forEach(a -> replayed.add(a.path("seq").asLong()));
                default -> throw new AssertionError("unexpected frame " + frame);
            }
        }
        return frame;
    }

    @Test
    void syncIsServedFromTheGatewaysRecentEventsWithoutReadingTheHistory() {
        String user = "sy-memory";
        long since = pipeline.position().seq();
        String epoch = pipeline.position().epoch();
        List<Long> missed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            missed.add(publish(Events.created("sy-memory-" + i, Audience.of(List.of(user), List.of()))).seq());
        }
        String history = RedisKeys.defaults().history();
        // The history is gone for this sync: read, it would look empty and the answer would be history_trimmed.
        redis.execute("RENAME", history, history + ":away");
        try (TestClient client = connected(user, "viewer")) {
            client.send(sync("m1", since, epoch, ""));
            List<Long> replayed = new ArrayList<>();
            JsonNode frame = replayedUntilResponse(client, replayed);
            assertTrue(frame.path("recovered").asBoolean(), frame::toString);
            assertEquals(3, frame.path("count").asInt());
            assertEquals(missed, replayed);
        } finally {
            redis.execute("RENAME", history + ":away", history);
        }
    }

    @Test
    void syncReadsTheHistoryForARangeOlderThanTheWindowsAgeBound() {
        String user = "sy-history";
        long since = pipeline.position().seq();
        String epoch = pipeline.position().epoch();
        List<Long> missed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            missed.add(publish(publishedLongAgo(Events.created("sy-history-" + i,
                    Audience.of(List.of(user), List.of())))).seq());
        }
        try (TestClient client = connected(user, "viewer")) {
            client.send(sync("h1", since, epoch, ""));
            List<Long> replayed = new ArrayList<>();
            JsonNode frame = replayedUntilResponse(client, replayed);
            assertTrue(frame.path("recovered").asBoolean(), frame::toString);
            assertEquals(missed, replayed);
        }
    }

    @Test
    void syncBeyondTheHistoryOrFromAnotherEpochIsNotRecovered() {
        // published long ago, so the gateway's in-memory window does not serve them either
        AlertEvent old = publish(publishedLongAgo(Events.created("sy-old", Audience.EVERYONE)));
        AlertEvent newer = publish(publishedLongAgo(Events.created("sy-newer", Audience.EVERYONE)));
        // the history keeps only entries from `newer` on
        redis.execute("XTRIM", RedisKeys.defaults().history(), "MINID", newer.seq() + "-0");
        try (TestClient client = connected("sy-trim", "viewer")) {
            client.send(sync("t1", old.seq() - 1, old.epoch(), ""));
            JsonNode trimmed = client.next("sync_response");
            assertFalse(trimmed.path("recovered").asBoolean());
            assertEquals("history_trimmed", trimmed.path("reason").asText());
            assertEquals(pipeline.position().epoch(), trimmed.path("epoch").asText());
            assertEquals(pipeline.position().seq(), trimmed.path("seq").asLong());
            assertFalse(trimmed.has("count"));

            client.send(sync("t2", 5, "some-other-epoch", ""));
            JsonNode otherEpoch = client.next("sync_response");
            assertFalse(otherEpoch.path("recovered").asBoolean());
            assertEquals("epoch_changed", otherEpoch.path("reason").asText());

            client.send("{\"type\":\"sync\",\"id\":\"t3\"}");
            JsonNode invalid = client.next("error");
            assertEquals("invalid_message", invalid.path("code").asText());
            assertEquals("t3", invalid.path("ref").asText());
        }
    }

    @Test
    void syncBeyondMaxCountIsNotRecoveredAndFiltersNarrowTheReplay() {
        String user = "sy-max";
        AlertEvent start = publish(Events.created("sy-max-0", Audience.of(List.of(user), List.of())));
        publish(Events.created("sy-max-1", Audience.EVERYONE, Priority.CRITICAL));
        publish(Events.created("sy-max-2", Audience.EVERYONE, Priority.LOW));
        AlertEvent high = publish(Events.created("sy-max-3", Audience.EVERYONE, Priority.HIGH));
        try (TestClient client = connected(user, "viewer")) {
            client.send(sync("m1", start.seq(), start.epoch(), ",\"maxCount\":2"));
            JsonNode tooMany = client.next("sync_response");
            assertFalse(tooMany.path("recovered").asBoolean());
            assertEquals("too_many_events", tooMany.path("reason").asText());

            client.send(sync("m2", start.seq(), start.epoch(), ",\"priorities\":[\"high\"]"));
            JsonNode replayed = client.next("alert");
            assertEquals(high.seq(), replayed.path("seq").asLong());
            JsonNode response = client.next("sync_response");
            assertTrue(response.path("recovered").asBoolean());
            assertEquals(1, response.path("count").asInt());
        }
    }

    /**
     * Without {@code includeAcknowledged}, an alert acknowledged by the end of the range is not replayed; one whose
     * acknowledgment was taken back within the range is (its last event decides), with its changes.
     */
    @Test
    void syncReplaysAnAlertWhoseAcknowledgmentWasTakenBack() {
        String user = "sy-unack";
        AlertEvent start = publish(Events.created("sy-unack-0", Audience.of(List.of(user), List.of())));
        AlertEvent reopened = publish(Events.created("sy-unack-reopened", Audience.EVERYONE));
        publish(Events.updated(Events.changed(reopened.alert(), AlertStatus.ACTIVE, "bob", Instant.now(),
                AlertChange.ACKNOWLEDGED)));
        publish(Events.updated(Events.changed(reopened.alert(), AlertStatus.ACTIVE, null, null,
                AlertChange.UNACKNOWLEDGED)));
        AlertEvent acked = publish(Events.created("sy-unack-acked", Audience.EVERYONE));
        publish(Events.updated(Events.changed(acked.alert(), AlertStatus.ACTIVE, "bob", Instant.now(),
                AlertChange.ACKNOWLEDGED)));
        try (TestClient client = connected(user, "viewer")) {
            client.send(sync("u1", start.seq(), start.epoch(), ""));
            List<String> replayedAlerts = new ArrayList<>();
            JsonNode frame = client.next();
            while (!"sync_response".equals(frame.path("type").asText())) {
                if ("alert".equals(frame.path("type").asText())) {
                    replayedAlerts.add(frame.path("alert").path("id").asText());
                } else if ("alert_batch".equals(frame.path("type").asText())) {
                    frame.path("alerts").forEach(entry -> replayedAlerts.add(entry.path("alert").path("id").asText()));
                }
                frame = client.next();
            }
            assertTrue(frame.path("recovered").asBoolean(), frame.toString());
            assertEquals(List.of("sy-unack-reopened"), replayedAlerts);
        }
    }

    /**
     * A note and an assignment missed while away are replayed by {@code sync} like live (alert_note, alert_update),
     * to a connection that sees the alert; another user's sync of the same range replays neither.
     */
    @Test
    void syncReplaysMissedNotesAndAssignmentsToTheAlertsAudienceOnly() {
        String user = "sy-notes";
        AlertEvent start = publish(Events.created("sy-notes-0", Audience.of(List.of(user), List.of())));
        AlertEvent created = publish(Events.created("sy-notes-1", Audience.of(List.of(user), List.of())));
        AlertNote note = new AlertNote("65f0c0ffee0000000000d001", "bob", Instant.parse("2026-12-04T10:00:00Z"),
                "replayed");
        AlertEvent noted = publish(Events.noted(created.alert(), note, 1));
        AlertEvent assigned = publish(Events.assigned(created.alert(), Assignee.user(user), "bob", 2));
        try (TestClient client = connected(user, "viewer"); TestClient other = connected("sy-notes-other", "viewer")) {
            client.send(sync("nt1", start.seq(), start.epoch(), ""));
            List<String> replayed = new ArrayList<>();
            JsonNode frame = client.next();
            while (!"sync_response".equals(frame.path("type").asText())) {
                String type = frame.path("type").asText();
                if (!"ping".equals(type)) {
                    replayed.add(type + "@" + frame.path("seq").asLong());
                }
                if ("alert_note".equals(type)) {
                    assertEquals("replayed", frame.path("note").path("text").asText());
                    assertEquals(note.id(), frame.path("note").path("id").asText());
                }
                frame = client.next();
            }
            assertTrue(frame.path("recovered").asBoolean(), frame.toString());
            assertEquals(List.of("alert@" + created.seq(), "alert_note@" + noted.seq(),
                    "alert_update@" + assigned.seq()), replayed);

            other.send(sync("nt2", start.seq(), start.epoch(), ""));
            JsonNode answer = other.nextSkippingPings("sync_response");
            assertTrue(answer.path("recovered").asBoolean(), answer.toString());
        }
    }
}
