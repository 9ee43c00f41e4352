package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.localinfra.DevJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.alertJson;
import static dev.tocsin.ingest.TestSupport.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@IngestTest
class AlertResourceTest {

    private static String uniqueType() {
        return "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void createsAndReadsAFullAlert() {
        String expires = Instant.now().plus(Duration.ofDays(1)).toString();
        String body = """
                {"priority":"critical","type":"outbreak_risk","title":"Measles cluster","message":"12 cases in 3 days",
                 "source":"surveillance","location":{"lat":48.1,"lon":11.6,"region":"DE-BY"},"riskScore":0.82,
                 "confidence":0.7,"affectedPopulation":120000,"actionRequired":true,"actionUrl":"https://tocsin.dev/a/1",
                 "expiresAt":"%s","audience":{"groups":["health-officers"],"users":["bob"]},"escalationGroup":"oncall-eu",
                 "metadata":{"model":"v7","inputs":[1,2,3],"nested":{"ok":true},"big":123456789012345678901234567890}}
                """.formatted(expires);
        Response created = admin().body(body).post("/api/v1/alerts");
        created.then().statusCode(201)
                .header("Location", containsString("/api/v1/alerts/"))
                .contentType(ContentType.JSON)
                .body("id", notNullValue())
                .body("priority", equalTo("critical"))
                .body("location.region", equalTo("DE-BY"))
                .body("audience.everyone", equalTo(false))
                .body("audience.groups", hasItem("health-officers"))
                .body("metadata.nested.ok", equalTo(true))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue())
                .body("status", equalTo("active"))
                .body("lastChange", equalTo("created"))
                .body("escalationGroup", equalTo("oncall-eu"))
                .body("acknowledgedBy", nullValue());
        String id = created.jsonPath().getString("id");
        assertTrue(created.header("Location").endsWith("/api/v1/alerts/" + id));

        // bob is in the audience by name; the alert is invisible (404) to viewers outside it.
        JsonPath read = as("bob", "viewer").get("/api/v1/alerts/" + id).then().statusCode(200).extract().jsonPath();
        as("vera", "viewer").get("/api/v1/alerts/" + id).then().statusCode(404);
        as("hanna", "viewer", "health-officers").get("/api/v1/alerts/" + id).then().statusCode(200);
        Map<String, Object> createdMap = created.jsonPath().getMap("$");
        Map<String, Object> readMap = read.getMap("$");
        assertEquals(createdMap, readMap, "the stored alert reads back exactly as created");
        assertEquals(Instant.parse(expires).truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                Instant.parse(read.getString("expiresAt")), "expiresAt is kept at the store's millisecond precision");
    }

    @Test
    void audienceDefaultsToEveryone() {
        admin().body(alertJson(uniqueType(), "Default audience")).post("/api/v1/alerts").then().statusCode(201)
                .body("audience.everyone", equalTo(true))
                .body("actionRequired", equalTo(false))
                .body("metadata", nullValue());
    }

    @Test
    void listsNewestFirstWithPagingAndFilters() {
        String type = uniqueType();
        for (int i = 0; i < 5; i++) {
            String priority = i % 2 == 0 ? "low" : "medium";
            admin().body("""
                    {"priority":"%s","type":"%s","title":"t%d","message":"m","source":"s"}
                    """.formatted(priority, type, i)).post("/api/v1/alerts").then().statusCode(201);
        }
        JsonPath first = as("otto", "operator").queryParam("type", type).queryParam("size", 2)
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertEquals(5, first.getInt("total"));
        assertEquals(0, first.getInt("page"));
        assertEquals(2, first.getInt("size"));
        assertEquals(List.of("t4", "t3"), first.getList("items.title"));

        JsonPath last = as("otto", "operator").queryParam("type", type).queryParam("size", 2).queryParam("page", 2)
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("t0"), last.getList("items.title"));

        JsonPath low = as("vera", "viewer").queryParam("type", type).queryParam("priority", "low")
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("t4", "t2", "t0"), low.getList("items.title"));
        assertEquals(3, low.getInt("total"));

        JsonPath future = as("vera", "viewer").queryParam("type", type)
                .queryParam("since", Instant.now().plus(Duration.ofMinutes(5)).toString())
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertEquals(0, future.getInt("total"));
        JsonPath past = as("vera", "viewer").queryParam("type", type)
                .queryParam("since", Instant.now().minus(Duration.ofMinutes(5)).toString())
                .get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
        assertEquals(5, past.getInt("total"));
    }

    @Test
    void listRejectsBadQueryParameters() {
        as("vera", "viewer").queryParam("size", 201).queryParam("priority", "urgent").queryParam("since", "yesterday")
                .get("/api/v1/alerts").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem("size"))
                .body("errors.field", hasItem("priority"))
                .body("errors.field", hasItem("since"));
    }

    @Test
    void missingTitleIsNamed() {
        assertBadFields("""
                {"priority":"high","type":"outbreak_risk","message":"m","source":"s"}
                """, "title");
    }

    @Test
    void badPriorityEnumIsNamed() {
        Response response = admin().body("""
                {"priority":"urgent","type":"outbreak_risk","title":"t","message":"m","source":"s"}
                """).post("/api/v1/alerts");
        response.then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("priority"))
                .body("errors[0].message", containsString("critical, high, medium, low, info"))
                .body(not(containsString("urgent")));
    }

    @Test
    void riskScoreAboveOneIsNamed() {
        assertBadFields("""
                {"priority":"high","type":"outbreak_risk","title":"t","message":"m","source":"s","riskScore":2}
                """, "riskScore");
    }

    @Test
    void severalBadFieldsAreAllNamed() {
        assertBadFields("""
                {"priority":"high","type":"Outbreak-Risk","title":"","message":"m","source":"s","confidence":-1,
                 "affectedPopulation":-5,"location":{"lat":91,"lon":11},"expiresAt":"2001-01-01T00:00:00Z",
                 "audience":{"everyone":false},"escalationGroup":"on call!"}
                """, "affectedPopulation", "audience.everyone", "confidence", "escalationGroup", "expiresAt",
                "location.lat", "title", "type");
    }

    @Test
    void malformedJsonIsA400Problem() {
        admin().body("{\"priority\":\"high\", \"title\": ").post("/api/v1/alerts").then().statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid request"))
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", containsString("malformed JSON"))
                .body(not(containsString("at com.")))
                .body(not(containsString("Exception")));
    }

    @Test
    void wrongTypeIsNamed() {
        admin().body("""
                {"priority":"high","type":"outbreak_risk","title":"t","message":"m","source":"s","riskScore":"high"}
                """).post("/api/v1/alerts").then().statusCode(400)
                .body("errors[0].field", equalTo("riskScore"));
    }

    @Test
    void emptyBodyIsA400Problem() {
        admin().post("/api/v1/alerts").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void oversizeMetadataIsNamed() {
        String big = "x".repeat(17 * 1024);
        assertBadFields("""
                {"priority":"high","type":"outbreak_risk","title":"t","message":"m","source":"s","metadata":{"blob":"%s"}}
                """.formatted(big), "metadata");
        StringBuilder manyKeys = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            manyKeys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        assertBadFields("""
                {"priority":"high","type":"outbreak_risk","title":"t","message":"m","source":"s","metadata":{%s}}
                """.formatted(manyKeys), "metadata");
        assertBadFields("""
                {"priority":"high","type":"outbreak_risk","title":"t","message":"m","source":"s",
                 "metadata":{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}}
                """, "metadata");
    }

    @Test
    void actionRequiredWithoutUrlIsNamed() {
        assertBadFields("""
                {"priority":"high","type":"outbreak_risk","title":"t","message":"m","source":"s","actionRequired":true}
                """, "actionUrl");
        assertBadFields("""
                {"priority":"high","type":"outbreak_risk","title":"t","message":"m","source":"s","actionRequired":true,
                 "actionUrl":"javascript:alert(1)"}
                """, "actionUrl");
    }

    @Test
    void withoutTokenIs401Problem() {
        RestAssured.given().contentType(ContentType.JSON).body(alertJson("outbreak_risk", "t"))
                .post("/api/v1/alerts").then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
        RestAssured.given().get("/api/v1/alerts").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void foreignOrExpiredTokenIs401() {
        String expired = DevJwt.shared().sign("alice", List.of("admin"), Instant.now().minusSeconds(7200),
                Instant.now().minusSeconds(3600), DevJwt.ISSUER);
        RestAssured.given().auth().oauth2(expired).get("/api/v1/alerts").then().statusCode(401)
                .contentType("application/problem+json");
        String foreign = DevJwt.generate().token("mallory", "admin");
        RestAssured.given().auth().oauth2(foreign).get("/api/v1/alerts").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void viewerCannotCreate() {
        as("vera", "viewer").body(alertJson("outbreak_risk", "t")).post("/api/v1/alerts").then().statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
    }

    @Test
    void unknownOrMalformedIdIs404Problem() {
        as("vera", "viewer").get("/api/v1/alerts/65f000000000000000000000").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        as("vera", "viewer").get("/api/v1/alerts/not-an-id").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static void assertBadFields(String body, String... fields) {
        JsonPath problem = admin().body(body).post("/api/v1/alerts").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/validation"))
                .body("status", equalTo(400))
                .extract().jsonPath();
        List<String> named = problem.getList("errors.field");
        for (String field : fields) {
            assertTrue(named.contains(field), "expected " + field + " among " + named + ": " + problem.prettify());
        }
        assertEquals(fields.length, named.stream().distinct().count(), "only the bad fields: " + named);
    }
}
