package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.as;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Non-admins see only alerts whose audience includes them (by name or group); admins see all. */
@QuarkusTest
@IngestTest
class AlertVisibilityTest {

    private static String alert(String type, String title, String audience) {
        return create("""
                {"priority":"high","type":"%s","title":"%s","message":"m","source":"s","audience":%s}
                """.formatted(type, title, audience));
    }

    private static Set<String> titles(String type, String user, String... groups) {
        JsonPath page = as(user, groups).queryParam("type", type).get("/api/v1/alerts").then().statusCode(200)
                .extract().jsonPath();
        List<String> titles = page.getList("items.title");
        assertEquals(titles.size(), page.getInt("total"), "total counts only visible alerts");
        return Set.copyOf(titles);
    }

    @Test
    void neitherUserSeesTheOthersPrivateAlerts() {
        String type = uniqueType();
        String ursulas = alert(type, "for ursula", "{\"users\":[\"ursula\"]}");
        String victors = alert(type, "for victor", "{\"users\":[\"victor\"]}");
        String team = alert(type, "for team-x", "{\"groups\":[\"team-x\"]}");
        alert(type, "for everyone", "{\"everyone\":true}");

        assertEquals(Set.of("for ursula", "for everyone"), titles(type, "ursula", "viewer"));
        assertEquals(Set.of("for victor", "for team-x", "for everyone"), titles(type, "victor", "operator", "team-x"));
        assertEquals(Set.of("for ursula", "for victor", "for team-x", "for everyone"), titles(type, "alice", "admin"));

        as("ursula", "viewer").get("/api/v1/alerts/" + ursulas).then().statusCode(200);
        as("ursula", "viewer").get("/api/v1/alerts/" + victors).then().statusCode(404)
                .contentType("application/problem+json");
        as("ursula", "viewer").get("/api/v1/alerts/" + team).then().statusCode(404);
        as("victor", "operator", "team-x").get("/api/v1/alerts/" + ursulas).then().statusCode(404);
        as("victor", "operator", "team-x").get("/api/v1/alerts/" + team).then().statusCode(200);
        admin().get("/api/v1/alerts/" + victors).then().statusCode(200);
    }
}
