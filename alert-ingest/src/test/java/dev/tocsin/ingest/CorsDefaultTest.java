package dev.tocsin.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.nullValue;

/**
 * CORS with the default configuration (as in production: {@code tocsin.ingest.cors.origins} not set): no origin is
 * allowed, not even the local console's, while clients that send no {@code Origin} are unaffected.
 */
@QuarkusTest
@IngestTest
class CorsDefaultTest {

    @Test
    void aPreflightFromAnyOriginGetsNoCorsHeaders() {
        for (String origin : new String[] {"http://localhost:8080", "https://console.example.org"}) {
            RestAssured.given()
                    .header("Origin", origin)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "Authorization,Content-Type")
                    .options("/api/v1/alerts").then()
                    .statusCode(403)
                    // without Access-Control-Allow-Origin the browser refuses the request (the methods the filter
                    // lists anyway do not change that)
                    .header("Access-Control-Allow-Origin", nullValue());
        }
    }

    @Test
    void aRequestFromAnotherOriginIsRefusedAndOneWithoutOriginIsServed() {
        TestSupport.admin().header("Origin", "http://localhost:8080").get("/api/v1/alerts").then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        TestSupport.admin().get("/api/v1/alerts").then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
