package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert's life over REST through the real services: an edit reaches every connection that sees the alert as
 * {@code alert_update} {@code updated} with the new version and fields, and no other connection; a stale
 * {@code If-Match} is refused (412) and broadcasts nothing; resolve arrives as {@code resolved}, retract as
 * {@code deleted}; the timeline lists every step in order with its actor. Assignments and notes, over REST and over
 * the WebSocket ({@code assign}, {@code note} answered by {@code action_result}/{@code note_result}), reach every
 * connection that sees the alert ({@code alert_update} {@code updated}, {@code alert_note}) and no other.
 */
class AlertLifecycleE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("lifecycle");

    @Test
    void editResolveRetractReachTheAudienceOnlyAndTheTimelineRecordsEveryStep() throws Exception {
        try (WsClient olga = connect("olga", "operator");
             WsClient vera = connect("vera", "viewer");
             WsClient outsider = connect("otto", "viewer")) {
            List<WsClient> audience = List.of(olga, vera);
            String edited = post("{\"users\":[\"olga\",\"vera\"]}");
            for (WsClient client : audience) {
                client.awaitFirst(f -> isAlert(f, edited), WAIT);
            }

            HttpResponse<String> patch = patch(edited, "\"1\"", "{\"title\":\"Pump 3 pressure falling\",\"priority\":\"high\"}");
            assertEquals(200, patch.statusCode(), patch.body());
            assertEquals("\"2\"", patch.headers().firstValue("ETag").orElse(""));
            for (WsClient client : audience) {
                JsonNode update = client.awaitFirst(f -> isUpdate(f, edited, "updated"), WAIT);
                assertEquals(2, update.path("version").asLong(), update::toString);
                assertEquals("Pump 3 pressure falling", update.path("alert").path("title").asText());
                assertEquals("high", update.path("alert").path("priority").asText());
            }

            // Someone who read version 1 edits too late: refused, nothing is written or broadcast.
            HttpResponse<String> stale = patch(edited, "\"1\"", "{\"title\":\"stale\"}");
            assertEquals(412, stale.statusCode(), stale.body());
            assertEquals("application/problem+json", stale.headers().firstValue("Content-Type").orElse(""));

            HttpResponse<String> resolved = send("POST", "/api/v1/alerts/" + edited + "/resolve", "olga", "operator",
                    "{\"note\":\"valve replaced\"}");
            assertEquals(200, resolved.statusCode(), resolved.body());
            for (WsClient client : audience) {
                JsonNode update = client.awaitFirst(f -> isUpdate(f, edited, "resolved"), WAIT);
                assertEquals(3, update.path("version").asLong(), update::toString);
                assertEquals("olga", update.path("alert").path("resolvedBy").asText());
            }

            String retracted = post("{\"users\":[\"olga\",\"vera\"]}");
            for (WsClient client : audience) {
                client.awaitFirst(f -> isAlert(f, retracted), WAIT);
            }
            HttpResponse<String> delete = send("DELETE", "/api/v1/alerts/" + retracted, "admin", "admin", "");
            assertEquals(204, delete.statusCode(), delete.body());
            for (WsClient client : audience) {
                JsonNode update = client.awaitFirst(f -> isUpdate(f, retracted, "deleted"), WAIT);
                assertTrue(update.path("alert").isMissingNode(), "a retraction carries the id only");
            }

            // A marker for everyone after all of it: once it arrives, every earlier frame has arrived too.
            String marker = post("{\"everyone\":true}");
            for (WsClient client : List.of(olga, vera, outsider)) {
                client.awaitFirst(f -> isAlert(f, marker), WAIT);
            }
            for (WsClient client : audience) {
                assertEquals(List.of("updated", "resolved"), statusesOf(client, edited),
                        "exactly one update per accepted change, none for the stale edit");
                assertEquals(List.of("deleted"), statusesOf(client, retracted));
            }
            assertTrue(outsider.ofType("alert_update").isEmpty(), "the outsider gets no update of alerts it cannot see");
            assertTrue(outsider.ofType("alert").stream().noneMatch(f -> isAlert(f, edited) || isAlert(f, retracted)));

            JsonNode timeline = Json.tree(send("GET", "/api/v1/alerts/" + edited + "/timeline", "vera", "viewer", null)
                    .body());
            List<String> steps = new ArrayList<>();
            for (JsonNode entry : timeline.path("entries")) {
                steps.add(entry.path("kind").asText() + " by " + entry.path("actor").asText());
            }
            assertEquals(List.of("created by admin", "edited by admin", "resolved by olga"), steps);
            assertEquals("[\"title\",\"priority\"]", timeline.path("entries").get(1).path("fields").toString());
            assertEquals("valve replaced", timeline.path("entries").get(2).path("note").asText());
            JsonNode retractedTimeline = Json.tree(send("GET", "/api/v1/alerts/" + retracted + "/timeline", "admin",
                    "admin", null).body());
            assertEquals(List.of("created", "retracted"),
                    retractedTimeline.path("entries").findValuesAsText("kind"));
            assertEquals(404, send("GET", "/api/v1/alerts/" + retracted + "/timeline", "vera", "viewer", null)
                    .statusCode(), "a retracted alert is gone for everyone but admins");
        }
    }

    @Test
    void assignmentsAndNotesOverRestAndWebSocketReachTheAudienceOnly() throws Exception {
        try (WsClient olga = connect("olga", "operator");
             WsClient vera = connect("vera", "viewer");
             WsClient outsider = connect("otto", "viewer")) {
            List<WsClient> audience = List.of(olga, vera);
            String id = post("{\"users\":[\"olga\",\"vera\"]}");
            for (WsClient client : audience) {
                client.awaitFirst(f -> isAlert(f, id), WAIT);
            }

            // Over REST: the operator assigns to a group, the viewer adds a note.
            HttpResponse<String> assigned = send("POST", "/api/v1/alerts/" + id + "/assign", "olga", "operator",
                    "{\"group\":\"oncall-eu\"}");
            assertEquals(200, assigned.statusCode(), assigned.body());
            for (WsClient client : audience) {
                JsonNode update = client.awaitFirst(f -> isUpdate(f, id, "updated")
                        && f.path("version").asLong() == 2, WAIT);
                assertEquals("oncall-eu", update.path("alert").path("assignee").path("id").asText(), update::toString);
                assertEquals("group", update.path("alert").path("assignee").path("kind").asText());
                assertEquals("assigned", update.path("alert").path("lastChange").asText());
            }
            HttpResponse<String> noted = send("POST", "/api/v1/alerts/" + id + "/notes", "vera", "viewer",
                    "{\"text\":\"seen on site\"}");
            assertEquals(201, noted.statusCode(), noted.body());
            String restNoteId = Json.tree(noted.body()).path("id").asText();
            for (WsClient client : audience) {
                JsonNode note = client.awaitFirst(f -> isNote(f, id, restNoteId), WAIT);
                assertEquals("seen on site", note.path("note").path("text").asText(), note::toString);
                assertEquals("vera", note.path("note").path("author").asText());
                assertEquals(1, note.path("noteCount").asInt());
            }

            // Over the WebSocket: the operator reassigns to a user and adds a note; each answered by ref.
            olga.send("{\"type\":\"assign\",\"id\":\"as-1\",\"alertId\":\"" + id + "\",\"user\":\"vera\"}");
            JsonNode result = olga.awaitFirst(f -> "action_result".equals(f.path("type").asText())
                    && "as-1".equals(f.path("ref").asText()), WAIT);
            assertEquals(3, result.path("version").asLong(), result::toString);
            assertEquals("vera", result.path("alert").path("assignee").path("id").asText());
            for (WsClient client : audience) {
                JsonNode update = client.awaitFirst(f -> isUpdate(f, id, "updated")
                        && f.path("version").asLong() == 3, WAIT);
                assertEquals("user", update.path("alert").path("assignee").path("kind").asText(), update::toString);
            }
            olga.send("{\"type\":\"note\",\"id\":\"n-1\",\"alertId\":\"" + id + "\",\"text\":\"on my way\"}");
            JsonNode noteResult = olga.awaitFirst(f -> "note_result".equals(f.path("type").asText())
                    && "n-1".equals(f.path("ref").asText()), WAIT);
            String wsNoteId = noteResult.path("note").path("id").asText();
            assertEquals("olga", noteResult.path("note").path("author").asText(), noteResult::toString);
            for (WsClient client : audience) {
                JsonNode note = client.awaitFirst(f -> isNote(f, id, wsNoteId), WAIT);
                assertEquals("on my way", note.path("note").path("text").asText());
                assertEquals(2, note.path("noteCount").asInt());
            }
            // A viewer may note but not assign; the outsider cannot reach the alert at all.
            vera.send("{\"type\":\"assign\",\"id\":\"as-v\",\"alertId\":\"" + id + "\",\"user\":\"vera\"}");
            assertEquals("forbidden", vera.awaitFirst(f -> "error".equals(f.path("type").asText())
                    && "as-v".equals(f.path("ref").asText()), WAIT).path("code").asText());
            outsider.send("{\"type\":\"note\",\"id\":\"n-o\",\"alertId\":\"" + id + "\",\"text\":\"x\"}");
            assertEquals("unknown_alert", outsider.awaitFirst(f -> "error".equals(f.path("type").asText())
                    && "n-o".equals(f.path("ref").asText()), WAIT).path("code").asText());

            // A marker for everyone after all of it: once it arrives, every earlier frame has arrived too.
            String marker = post("{\"everyone\":true}");
            for (WsClient client : List.of(olga, vera, outsider)) {
                client.awaitFirst(f -> isAlert(f, marker), WAIT);
            }
            for (WsClient client : audience) {
                assertEquals(List.of("updated", "updated"), statusesOf(client, id), "one update per assignment");
                assertEquals(List.of(restNoteId, wsNoteId), client.ofType("alert_note").stream()
                        .filter(f -> id.equals(f.path("alertId").asText()))
                        .map(f -> f.path("note").path("id").asText()).toList(), "each note once, in order");
            }
            assertTrue(outsider.ofType("alert_update").isEmpty(), "the outsider gets no update of alerts it cannot see");
            assertTrue(outsider.ofType("alert_note").isEmpty(), "the outsider gets no note of alerts it cannot see");

            JsonNode timeline = Json.tree(send("GET", "/api/v1/alerts/" + id + "/timeline", "vera", "viewer", null)
                    .body());
            List<String> steps = new ArrayList<>();
            for (JsonNode entry : timeline.path("entries")) {
                steps.add(entry.path("kind").asText() + " by " + entry.path("actor").asText());
            }
            assertEquals(List.of("created by admin", "assigned by olga", "noted by vera", "assigned by olga",
                    "noted by olga"), steps);
            JsonNode notes = Json.tree(send("GET", "/api/v1/alerts/" + id + "/notes", "vera", "viewer", null).body());
            assertEquals(List.of("seen on site", "on my way"), notes.path("notes").findValuesAsText("text"));
        }
    }

    private static boolean isNote(JsonNode frame, String alertId, String noteId) {
        return "alert_note".equals(frame.path("type").asText()) && alertId.equals(frame.path("alertId").asText())
                && noteId.equals(frame.path("note").path("id").asText());
    }

    private static List<String> statusesOf(WsClient client, String alertId) {
        return client.ofType("alert_update").stream().filter(f -> alertId.equals(f.path("alertId").asText()))
                .map(f -> f.path("status").asText()).toList();
    }

    private static boolean isAlert(JsonNode frame, String alertId) {
        return WsClient.holdsAlert(frame, alertId);
    }

    private static boolean isUpdate(JsonNode frame, String alertId, String status) {
        return "alert_update".equals(frame.path("type").asText()) && alertId.equals(frame.path("alertId").asText())
                && status.equals(frame.path("status").asText());
    }

    private static WsClient connect(String user, String role) {
        return tocsin.connect(user, role);
    }

    private static String post(String audience) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/alerts", "admin", "admin", """
                {"priority":"critical","type":"system_health","title":"Pump 3 pressure","message":"Above limit",
                 "source":"plant-1","audience":%s}""".formatted(audience));
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }

    private static HttpResponse<String> patch(String alertId, String ifMatch, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tocsin.ingest().baseUrl() + "/api/v1/alerts/" + alertId))
                .header("Authorization", "Bearer " + tocsin.token("admin", "admin"))
                .header("Content-Type", "application/json")
                .header("If-Match", ifMatch)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String user, String role, String body)
            throws Exception {
        return tocsin.call(method, path, user, role, body);
    }
}
