package dev.tocsin.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** CORS with {@code tocsin.ingest.cors.origins} set: listed origins may call the API from a browser, others not. */
@QuarkusTest
@TestProfile(CorsAllowedOriginsTest.ConsoleOrigins.class)
@IngestTest
class CorsAllowedOriginsTest {

    static final String CONSOLE = "https://console.example.org";

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
                .header("Access-Control-Allow-Headers", "Authorization,Content-Type")
                .header("Access-Control-Expose-Headers", "Location,Tocsin-Already-Acknowledged,Retry-After")
                .header("Access-Control-Allow-Credentials", "false")
                .header("Access-Control-Max-Age", "600");
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
