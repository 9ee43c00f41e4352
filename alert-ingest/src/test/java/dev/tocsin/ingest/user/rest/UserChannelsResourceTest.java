package dev.tocsin.ingest.user.rest;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import dev.tocsin.ingest.IngestTest;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.user.ContactChannels;
import dev.tocsin.protocol.user.QuietHours;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@IngestTest
class UserChannelsResourceTest {

    private static final String FULL = """
            {"telegramChatId":"123456789","fcmTokens":["tok-1:abc","tok-2:def","tok-1:abc"],"minPriority":"medium",
             "quietHours":{"start":"22:00","end":"07:00","zone":"Europe/Berlin"}}
            """;

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    private Document raw(String user) {
        return mongo.getDatabase(database).getCollection("user_channels").find(Filters.eq("_id", user)).first();
    }

    @Test
    void userStoresReadsAndDeletesOwnChannelsInTheRelaysShape() {
        as("uma", "viewer").body(FULL).put("/api/v1/users/uma/channels").then().statusCode(200)
                .body("userId", equalTo("uma"))
                .body("telegramChatId", equalTo("123456789"))
                .body("fcmTokens", equalTo(List.of("tok-1:abc", "tok-2:def")))
                .body("minPriority", equalTo("medium"))
                .body("quietHours.start", equalTo("22:00:00"))
                .body("quietHours.criticalOverride", equalTo(true))
                .body("updatedAt", notNullValue());
        JsonPath read = as("uma", "viewer").get("/api/v1/users/uma/channels").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("Europe/Berlin", read.getString("quietHours.zone"));

        // The relay reads the raw document with the one codec: the shape must convert to the record.
        Document document = raw("uma");
        assertEquals("uma", document.get("_id"));
        assertInstanceOf(Date.class, document.get("updatedAt"), "updatedAt is a BSON date");
        ContactChannels channels = Json.convert(document, ContactChannels.class);
        assertEquals(new ContactChannels("uma", "123456789", List.of("tok-1:abc", "tok-2:def"), Priority.MEDIUM,
                new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), "Europe/Berlin", true), Set.of(),
                channels.updatedAt()), channels);
        assertEquals(Set.of("_id", "userId", "telegramChatId", "fcmTokens", "minPriority", "quietHours", "groups",
                "updatedAt"), document.keySet());

        as("uma", "viewer").delete("/api/v1/users/uma/channels").then().statusCode(204);
        as("uma", "viewer").get("/api/v1/users/uma/channels").then().statusCode(404)
                .contentType("application/problem+json");
        as("uma", "viewer").delete("/api/v1/users/uma/channels").then().statusCode(204);
    }

    @Test
    void othersChannelsAreForbiddenExceptForAdmins() {
        as("uma", "viewer").body(FULL).put("/api/v1/users/walt/channels").then().statusCode(403)
                .contentType("application/problem+json");
        as("uma", "operator").get("/api/v1/users/walt/channels").then().statusCode(403);
        as("uma", "viewer").delete("/api/v1/users/walt/channels").then().statusCode(403);
        admin().body(FULL).put("/api/v1/users/walt/channels").then().statusCode(200).body("userId", equalTo("walt"));
        admin().get("/api/v1/users/walt/channels").then().statusCode(200);
        RestAssured.given().get("/api/v1/users/walt/channels").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void onlyAdminsChangeGroups() {
        as("gina", "viewer").body("{\"groups\":[\"oncall-eu\"]}").put("/api/v1/users/gina/channels").then()
                .statusCode(403).contentType("application/problem+json");
        admin().body("{\"groups\":[\"oncall-eu\"],\"telegramChatId\":\"@tocsin_alerts\"}")
                .put("/api/v1/users/gina/channels").then().statusCode(200).body("groups", equalTo(List.of("oncall-eu")));
        // Without groups the user's update keeps them; sending them back unchanged is allowed too.
        as("gina", "viewer").body("{\"telegramChatId\":\"-100123\"}").put("/api/v1/users/gina/channels").then()
                .statusCode(200).body("groups", equalTo(List.of("oncall-eu")))
                .body("telegramChatId", equalTo("-100123"));
        as("gina", "viewer").body("{\"groups\":[\"oncall-eu\"]}").put("/api/v1/users/gina/channels").then()
                .statusCode(200);
        as("gina", "viewer").body("{\"groups\":[\"oncall-eu\",\"admins-club\"]}").put("/api/v1/users/gina/channels")
                .then().statusCode(403);
        assertEquals(List.of("oncall-eu"), raw("gina").getList("groups", String.class));
    }

    @Test
    void badValuesAreNamed() {
        StringBuilder tokens = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            tokens.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        JsonPath problem = as("uma", "viewer").body("""
                {"telegramChatId":"not a chat","fcmTokens":[%s],"quietHours":{"start":"22:00","end":"07:00","zone":"Mars/Olympus"}}
                """.formatted(tokens)).put("/api/v1/users/uma/channels").then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        List<String> fields = problem.getList("errors.field");
        assertTrue(fields.containsAll(List.of("telegramChatId", "fcmTokens", "quietHours.zone")), fields.toString());

        as("uma", "viewer").body("{\"fcmTokens\":[\"has space\"]}").put("/api/v1/users/uma/channels").then()
                .statusCode(400).body("errors.field", hasItem(org.hamcrest.Matchers.startsWith("fcmTokens")));
        as("uma", "viewer").body("{\"fcmTokens\":[\"" + "x".repeat(4097) + "\"]}").put("/api/v1/users/uma/channels")
                .then().statusCode(400).body("errors.field", hasItem(org.hamcrest.Matchers.startsWith("fcmTokens")));
        as("uma", "viewer").body("{\"quietHours\":{\"start\":\"25:00\",\"end\":\"07:00\",\"zone\":\"UTC\"}}")
                .put("/api/v1/users/uma/channels").then().statusCode(400)
                .body("errors[0].field", equalTo("quietHours.start"));
        as("uma", "viewer").body("{\"quietHours\":{\"start\":\"22:00\"}}").put("/api/v1/users/uma/channels").then()
                .statusCode(400).body("errors.field", hasItem("quietHours.end")).body("errors.field", hasItem("quietHours.zone"));
        as("uma", "viewer").body("{\"minPriority\":\"urgent\"}").put("/api/v1/users/uma/channels").then()
                .statusCode(400).body("errors[0].field", equalTo("minPriority"));
        admin().body("{\"groups\":[\"bad group\"]}").put("/api/v1/users/uma/channels").then().statusCode(400)
                .body("errors.field", hasItem(org.hamcrest.Matchers.startsWith("groups")));
        as("uma", "viewer").put("/api/v1/users/uma/channels").then().statusCode(400);
        admin().body("{}").put("/api/v1/users/" + "u".repeat(201) + "/channels").then().statusCode(400)
                .body("errors[0].field", equalTo("id"));
    }
}
