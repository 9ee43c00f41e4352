package dev.tocsin.ingest;

import dev.tocsin.localinfra.DevJwt;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Helpers shared by the Quarkus tests: real signed tokens and a wait for the change stream to be open. */
public final class TestSupport {

    private TestSupport() {
    }

    public static RequestSpecification as(String user, String... groups) {
        return RestAssured.given().auth().oauth2(DevJwt.shared().token(user, groups)).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return as("alice", "admin");
    }

    /** Changes written before the stream opened would not be published; tests wait for readiness first. */
    public static void awaitChangeStreamOpen() {
        await().atMost(Duration.ofSeconds(20)).until(() -> RestAssured.given().get("/q/health/ready")
                .jsonPath().getList("checks.findAll { it.name == 'change-stream' }.status").contains("UP"));
    }

    public static String alertJson(String type, String title) {
        return """
                {"priority":"high","type":"%s","title":"%s","message":"Rising case counts","source":"model-7"}
                """.formatted(type, title);
    }
}
