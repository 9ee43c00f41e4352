package dev.tocsin.ingest.alert.rest;

import com.mongodb.client.MongoClient;
import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.awaitHistoryEvent;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/alerts} for a client's first load: the disjoint status sets and their unions,
 * {@code updatedSince}, their bad values, and the change-event position the answer is at least as new as.
 */
@QuarkusTest
@IngestTest
class AlertFirstLoadListTest {

    @Inject
    RedisDataSource redis;

    @Inject
    MongoClient mongo;

    @BeforeEach
    void streamOpen() {
        TestSupport.awaitChangeStreamOpen();
    }

    /** One alert of each kind, all of one fresh type, by title. */
    private Map<String, String> onePerStatus(String type) {
        Map<String, String> ids = new HashMap<>();
        ids.put("active", create(alert(type, "active", "low")));
        ids.put("acknowledged", create(alert(type, "acknowledged", "info")));
        ids.put("cleared", create(alert(type, "cleared", "medium")));
        ids.put("cleared-acknowledged", create(alert(type, "cleared-acknowledged", "high")));
        as("vera", "viewer").post("/api/v1/alerts/" + ids.get("acknowledged") + "/ack").then().statusCode(200);
        as("vera", "viewer").post("/api/v1/alerts/" + ids.get("cleared-acknowledged") + "/ack").then().statusCode(200);
        admin().body("{\"types\":[\"" + type + "\"],\"priorities\":[\"medium\",\"high\"]}")
                .post("/api/v1/alerts/clear").then().statusCode(200).body("cleared", equalTo(2));
        // Expired by hand: the job would need the alert's expiresAt to pass first.
        ObjectId expired = new ObjectId();
        Date now = new Date();
        mongo.getDatabase("tocsin").getCollection("alerts").insertOne(new Document("_id", expired)
                .append("priority", "high").append("type", type).append("title", "expired").append("message", "m")
                .append("source", "s").append("createdAt", now).append("updatedAt", now).append("expiresAt", now)
                .append("audience", new Document("everyone", true)).append("status", "expired")
                .append("lastChange", "expired").append("version", 2L));
        ids.put("expired", expired.toHexString());
        return ids;
    }

    @Test
    void statusSetsAreDisjointAndCombine() {
        String type = uniqueType();
        onePerStatus(type);

        assertTitles(type, List.of("active"), "active");
        assertTitles(type, List.of("acknowledged"), "acknowledged");
        assertTitles(type, List.of("cleared"), "cleared", "cleared-acknowledged");
        assertTitles(type, List.of("expired"), "expired");
        // Repeated and comma-separated name the same union; case and blanks do not matter.
        assertTitles(type, List.of("active", "acknowledged"), "active", "acknowledged");
        assertTitles(type, List.of("active,acknowledged"), "active", "acknowledged");
        assertTitles(type, List.of(" Acknowledged , ACTIVE"), "active", "acknowledged");
        assertTitles(type, List.of("cleared,expired", "active"), "active", "cleared", "cleared-acknowledged", "expired");
        assertTitles(type, List.of("active,acknowledged,cleared,expired"),
                "active", "acknowledged", "cleared", "cleared-acknowledged", "expired");
        assertTitles(type, List.of(), "active", "acknowledged", "cleared", "cleared-acknowledged", "expired");

        // An acknowledged alert keeps status active in its body; it is listed under acknowledged only.
        JsonPath acknowledged = list(type, List.of("acknowledged"));
        assertEquals(List.of("active"), acknowledged.getList("items.status"));
        assertEquals(List.of("vera"), acknowledged.getList("items.acknowledgedBy"));
        // Filters combine with AND, and total counts the filtered set, not the page.
        JsonPath page = as("vera", "viewer").queryParam("type", type).queryParam("status", "cleared,active")
                .queryParam("priority", "high").queryParam("size", 1).get("/api/v1/alerts").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("cleared-acknowledged"), page.getList("items.title"));
        assertEquals(1, page.getInt("total"));
        JsonPath firstOfTwo = as("vera", "viewer").queryParam("type", type).queryParam("status", "cleared")
                .queryParam("size", 1).get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertEquals(1, firstOfTwo.getList("items").size());
        assertEquals(2, firstOfTwo.getInt("total"));
    }

    @Test
    void updatedSinceListsWhatWasWrittenAtOrAfterIt() {
        String type = uniqueType();
        Map<String, String> ids = onePerStatus(type);
        List<String> updated = list(type, List.of()).getList("items.updatedAt");
        Instant latest = updated.stream().map(Instant::parse).max(Instant::compareTo).orElseThrow();
        Instant cut = latest.plusMillis(1);
        // The next write must be stored at or after the cut (times are kept in milliseconds).
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(cut));
        as("otto", "operator").post("/api/v1/alerts/" + ids.get("active") + "/ack").then().statusCode(200);

        JsonPath since = as("vera", "viewer").queryParam("type", type).queryParam("updatedSince", cut.toString())
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("active"), since.getList("items.title"));
        assertEquals(1, since.getInt("total"));
        // Written after the cut and now in the acknowledged set, no longer in the active one.
        assertEquals(List.of("active"), as("vera", "viewer").queryParam("type", type)
                .queryParam("updatedSince", cut.toString()).queryParam("status", "acknowledged")
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath().getList("items.title"));
        assertEquals(0, as("vera", "viewer").queryParam("type", type).queryParam("updatedSince", cut.toString())
                .queryParam("status", "active").get("/api/v1/alerts").then().statusCode(200)
                .extract().jsonPath().getInt("total"));
        // At the latest earlier write's own time: it is included (at or after).
        JsonPath atLatest = as("vera", "viewer").queryParam("type", type).queryParam("updatedSince", latest.toString())
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertTrue(atLatest.getInt("total") >= 2, atLatest.prettify());
    }

    @Test
    void badStatusAndUpdatedSinceAreNamed() {
        as("vera", "viewer").queryParam("status", "active,open").get("/api/v1/alerts").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors[0].field", equalTo("status"))
                .body("errors[0].message", containsString("active, acknowledged, cleared, expired"));
        as("vera", "viewer").queryParam("status", "active").queryParam("status", "closed").get("/api/v1/alerts")
                .then().statusCode(400).body("errors.field", equalTo(List.of("status")));
        as("vera", "viewer").queryParam("updatedSince", "yesterday").queryParam("status", "nope")
                .get("/api/v1/alerts").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("updatedSince"))
                .body("errors.field", hasItem("status"))
                .body("errors.find { it.field == 'updatedSince' }.message", containsString("ISO-8601"));
    }

    @Test
    void theAnswerIsAtLeastAsNewAsTheLastPublishedWriteBeforeIt() {
        String type = uniqueType();
        Map<String, String> ids = onePerStatus(type);
        String last = create(alert(type, "last", "critical"));
        as("vera", "viewer").post("/api/v1/alerts/" + last + "/ack").then().statusCode(200).body("version", equalTo(2));
        // The position of the last write's event, once the tailer has published it.
        AlertEvent lastEvent = awaitHistoryEvent(redis, last,
                e -> e.alert() != null && e.alert().lastChange() == AlertChange.ACKNOWLEDGED);

        JsonPath page = as("vera", "viewer").queryParam("type", type).queryParam("size", 200)
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        String epoch = page.getString("epoch");
        long seq = page.getLong("seq");
        assertEquals(redis.value(String.class).get(RedisKeys.defaults().epoch()), epoch);
        assertEquals(lastEvent.epoch(), epoch);
        assertTrue(seq >= lastEvent.seq(), "position " + seq + " is at least that of the last write " + lastEvent.seq());

        // What "at least as new" promises: every event of these alerts at or below the position is reflected.
        Map<String, Long> listed = new HashMap<>();
        List<Map<String, Object>> items = page.getList("items");
        for (Map<String, Object> item : items) {
            listed.put((String) item.get("id"), ((Number) item.get("version")).longValue());
        }
        assertEquals(Set.of("active", "acknowledged", "cleared", "cleared-acknowledged", "expired", "last"),
                Set.copyOf(page.getList("items.title")));
        for (String id : List.of(ids.get("active"), ids.get("acknowledged"), ids.get("cleared"),
                ids.get("cleared-acknowledged"), last)) {
            for (AlertEvent event : TestSupport.historyOf(redis, id)) {
                if (event.epoch().equals(epoch) && event.seq() <= seq) {
                    assertTrue(listed.get(id) >= event.alert().version(),
                            "event " + event.seq() + " of " + id + " is reflected in the page");
                }
            }
        }
    }

    private static String alert(String type, String title, String priority) {
        return """
                {"priority":"%s","type":"%s","title":"%s","message":"m","source":"s"}
                """.formatted(priority, type, title);
    }

    private static JsonPath list(String type, List<String> statuses) {
        RequestSpecification request = as("vera", "viewer").queryParam("type", type).queryParam("size", 200);
        for (String status : statuses) {
            request = request.queryParam("status", status);
        }
        return request.get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
    }

    private static void assertTitles(String type, List<String> statuses, String... titles) {
        JsonPath page = list(type, statuses);
        assertEquals(Set.of(titles), Set.copyOf(page.getList("items.title")), "status " + statuses);
        assertEquals(titles.length, page.getInt("total"), "total for status " + statuses);
    }
}
