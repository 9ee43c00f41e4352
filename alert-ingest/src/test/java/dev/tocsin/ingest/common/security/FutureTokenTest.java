package dev.tocsin.ingest.common.security;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.localinfra.DevJwt;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;

/**
 * Tokens from the future on the REST API: alert-ingest allows 30 s of clock skew ({@code mp.jwt.verify.clock.skew});
 * a token issued or valid only beyond that is refused with the same 401 problem as any invalid token.
 */
@QuarkusTest
@IngestTest
class FutureTokenTest {

    @Test
    void aTokenIssuedBeyondTheAllowanceIsRefusedWith401Problem() {
        Instant now = Instant.now();
        for (Duration ahead : List.of(Duration.ofHours(1), Duration.ofSeconds(45))) {
            assertUnauthorizedProblem(DevJwt.shared().sign("alice", List.of("admin"), now.plus(ahead),
                    now.plus(ahead).plus(Duration.ofHours(1)), DevJwt.ISSUER));
        }
    }

    @Test
    void aTokenNotValidBeforeAnHourFromNowIsRefusedWith401Problem() {
        Instant now = Instant.now();
        String token = DevJwt.shared().sign("alice", List.of("admin"), now, now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2)), DevJwt.ISSUER);
        assertUnauthorizedProblem(token);
    }

    @Test
    void aTokenWithinTheAllowanceIsAccepted() {
        Instant now = Instant.now();
        String issuedAhead = DevJwt.shared().sign("alice", List.of("admin"), now.plusSeconds(20),
                now.plus(Duration.ofHours(1)), DevJwt.ISSUER);
        RestAssured.given().auth().oauth2(issuedAhead).get("/api/v1/alerts").then().statusCode(200);
        String validSoon = DevJwt.shared().sign("alice", List.of("admin"), now, now.plusSeconds(20),
                now.plus(Duration.ofHours(1)), DevJwt.ISSUER);
        RestAssured.given().auth().oauth2(validSoon).get("/api/v1/alerts").then().statusCode(200);
    }

    private static void assertUnauthorizedProblem(String token) {
        RestAssured.given().auth().oauth2(token).get("/api/v1/alerts").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://tocsin.dev/problems/unauthorized"))
                .body("title", equalTo("Unauthorized"))
                .body("status", equalTo(401))
                .body("detail", equalTo("a valid bearer token is required"));
        RestAssured.given().auth().oauth2(token).contentType("application/json")
                .body("{\"priority\":\"high\",\"type\":\"t\",\"title\":\"t\",\"message\":\"m\",\"source\":\"s\"}")
                .post("/api/v1/alerts").then().statusCode(401).contentType("application/problem+json");
    }
}
