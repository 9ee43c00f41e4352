package dev.tocsin.ingest.console;

import dev.tocsin.ingest.IngestTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The operator console as alert-ingest serves it: the built page (clients/console/dist, packaged at
 * META-INF/resources/console) with its security headers, its configuration, and the alert links of push messages.
 */
@QuarkusTest
@IngestTest
class ConsoleServingTest {

    static final String CSP = "default-src 'self'; connect-src 'self' ws://127.0.0.1:8080 http://127.0.0.1:8080; "
            + "img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Test
    void theConsolePageIsServedWithAStrictContentSecurityPolicy() {
        RestAssured.given().redirects().follow(false).get("/console/").then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(containsString("<title>Tocsin console</title>"))
                .body(containsString("<script type=\"module\" src=\"main.js\"></script>"));
    }

    @Test
    void theConsolesScriptsStylesAndTheBundledClientAreServedWithTheHeadersToo() {
        for (String file : new String[] {"main.js", "console.css", "vendor/tocsin-client/index.js"}) {
            RestAssured.get("/console/" + file).then()
                    .statusCode(200)
                    .header("Content-Security-Policy", CSP)
                    .header("X-Content-Type-Options", "nosniff");
        }
        RestAssured.get("/console/main.js").then().contentType(containsString("javascript"));
        RestAssured.get("/console/console.css").then().contentType(containsString("text/css"));
    }

    @Test
    void consoleWithoutTheSlashRedirectsToTheConsole() {
        RestAssured.given().redirects().follow(false).get("/console").then()
                .statusCode(301)
                .header("Location", "/console/");
    }

    @Test
    void configJsonTellsThePageTheGatewayUrlAndTheStalenessLimit() {
        RestAssured.get("/console/config.json").then()
                .statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", CSP)
                .body("gatewayUrl", equalTo("ws://127.0.0.1:8080/ws/alerts"))
                .body("staleAfterSeconds", equalTo(75));
    }

    @Test
    void anAlertLinkFromAPushMessageOpensTheConsoleOnThatAlert() {
        Response response = RestAssured.given().redirects().follow(false).get("/alerts/65f0c0ffee0000000000abcd");
        assertEquals(303, response.statusCode());
        assertEquals("/console/#/alerts/65f0c0ffee0000000000abcd", response.header("Location"));
        // no token needed: the console signs in by itself
        RestAssured.given().redirects().follow(false).get("/alerts/abc").then().statusCode(303)
                .header("Location", startsWith("/console/#/alerts/"));
    }

    @Test
    void somethingThatIsNotAnAlertIdIsNotRedirected() {
        RestAssured.given().redirects().follow(false).urlEncodingEnabled(false)
                .get("/alerts/%3Cscript%3E").then().statusCode(404);
    }

    @Test
    void theRestApiIsNotGivenTheConsolesHeaders() {
        RestAssured.get("/q/health/live").then().statusCode(200)
                .header("Content-Security-Policy", org.hamcrest.Matchers.nullValue());
    }
}
