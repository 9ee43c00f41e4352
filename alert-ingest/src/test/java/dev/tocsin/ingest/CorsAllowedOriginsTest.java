package dev.tocsin.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CORS with {@code tocsin.ingest.cors.origins} set: listed origins may call the API from a browser, others not. */
@QuarkusTest
@TestProfile(CorsAllowedOriginsTest.ConsoleOrigins.class)
@IngestTest
class CorsAllowedOriginsTest {

    static final String CONSOLE = "https://console.example.org";
    static final String EXPOSED = "Location,ETag,Idempotent-Replayed,Tocsin-Already-Acknowledged,Retry-After";

    public static class ConsoleOrigins implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tocsin.ingest.cors.origins", CONSOLE + ",http://localhost:8080");
        }
    }

    @Test
    void aPreflightFromAListedOriginIsAllowedWithTheApiMethodsAndHeaders() {
        RestAssured.given()
                .header("Origin", CONSOLE)
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/api/v1/alerts").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", CONSOLE)
                .header("Access-Control-Allow-Methods", "GET,POST,PUT,DELETE,PATCH")
                .header("Access-Control-Allow-Headers", "Authorization,Content-Type,Idempotency-Key,If-Match")
                .header("Access-Control-Expose-Headers", EXPOSED)
                .header("Access-Control-Allow-Credentials", "false")
                .header("Access-Control-Max-Age", "600");
    }

    /** A producer's page: creation with Idempotency-Key, an edit with If-Match; both headers must pass the preflight. */
    @Test
    void aPreflightForAProducersHeadersIsAllowed() {
        for (String method : new String[] {"POST", "PATCH"}) {
            String allowed = RestAssured.given()
                    .header("Origin", CONSOLE)
                    .header("Access-Control-Request-Method", method)
                    .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key,if-match")
                    .options("/api/v1/alerts").then()
                    .statusCode(200)
                    .header("Access-Control-Allow-Origin", CONSOLE)
                    .header("Access-Control-Allow-Methods", containsString(method))
                    .extract().header("Access-Control-Allow-Headers");
            // a browser compares header names case-insensitively, and sends the request only if each is allowed
            Set<String> names = Arrays.stream(allowed.split(","))
                    .map(n -> n.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            assertTrue(names.containsAll(
                    Set.of("authorization", "content-type", "idempotency-key", "if-match")), allowed);
        }
    }

    /** The headers a producer's page must read are exposed on the actual answers, and are there to read. */
    @Test
    void aProducersPageMayReadLocationETagAndIdempotentReplayed() {
        String key = UUID.randomUUID().toString();
        String body = TestSupport.alertJson(TestSupport.uniqueType(), "CORS producer");
        String location = TestSupport.admin().header("Origin", CONSOLE).header("Idempotency-Key", key)
                .body(body).post("/api/v1/alerts").then()
                .statusCode(201)
                .header("Access-Control-Allow-Origin", CONSOLE)
                .header("Access-Control-Expose-Headers", EXPOSED)
                .header("ETag", "\"1\"")
                .header("Idempotent-Replayed", nullValue())
                .extract().header("Location");
        TestSupport.admin().header("Origin", CONSOLE).header("Idempotency-Key", key)
                .body(body).post("/api/v1/alerts").then()
                .statusCode(201)
                .header("Access-Control-Expose-Headers", EXPOSED)
                .header("Idempotent-Replayed", "true")
                .header("Location", location);
        String path = URI.create(location).getPath();
        TestSupport.admin().header("Origin", CONSOLE).header("If-Match", "\"1\"")
                .body("{\"title\":\"CORS producer, edited\"}").patch(path).then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", CONSOLE)
                .header("Access-Control-Expose-Headers", EXPOSED)
                .header("ETag", "\"2\"");
    }

    @Test
    void aRequestFromAListedOriginIsServedAndMaySeeLocation() {
        TestSupport.admin().header("Origin", "http://localhost:8080")
                .body(TestSupport.alertJson(TestSupport.uniqueType(), "CORS"))
                .post("/api/v1/alerts").then()
                .statusCode(201)
                .header("Access-Control-Allow-Origin", "http://localhost:8080")
                .header("Access-Control-Expose-Headers", containsString("Location"))
                .header("Location", notNullValue());
        // without a token the answer is still the 401 problem, readable by the page
        RestAssured.given().header("Origin", CONSOLE).get("/api/v1/alerts").then()
                .statusCode(401)
                .header("Access-Control-Allow-Origin", CONSOLE)
                .contentType("application/problem+json")
                .body("status", equalTo(401));
    }

    @Test
    void anOriginThatIsNotListedGetsNoCorsHeaders() {
        RestAssured.given()
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/v1/alerts").then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        TestSupport.admin().header("Origin", "https://evil.example").get("/api/v1/alerts").then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
