package dev.tocsin.ingest;

import dev.tocsin.ingest.alert.repository.ListedStatus;
import dev.tocsin.protocol.alert.AlertIds;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document at /q/openapi: public, and it documents what clients of the first load need. */
@QuarkusTest
@IngestTest
class OpenApiContractTest {

    private static final String LIST = "paths.'/api/v1/alerts'.get";
    private static final String ACK = "paths.'/api/v1/alerts/{id}/ack'.post";
    private static final String CLEAR = "paths.'/api/v1/alerts/clear'.post";

    private static JsonPath document() {
        // No token: the contract is public, like /q/health.
        return RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
    }

    @Test
    void documentsTheListWithStatusAndUpdatedSince() {
        JsonPath doc = document();
        assertTrue(doc.getString(LIST + ".summary").contains("List"), doc.getString(LIST + ".summary"));
        Map<String, Object> status = parameter(doc, "status");
        assertEquals("query", status.get("in"));
        assertEquals("array", doc.getString(LIST + ".parameters.find { it.name == 'status' }.schema.type"));
        String items = doc.getString(LIST + ".parameters.find { it.name == 'status' }.schema.items.'$ref'");
        String schema = items.substring(items.lastIndexOf('/') + 1);
        // The contract lists exactly the values the parser accepts.
        List<String> parsed = Arrays.stream(ListedStatus.values()).map(ListedStatus::wire).toList();
        assertEquals(parsed, doc.getList("components.schemas." + schema + ".enum"));

        parameter(doc, "updatedSince");
        assertEquals("date-time", doc.getString(LIST + ".parameters.find { it.name == 'updatedSince' }.schema.format"));
        parameter(doc, "since");
        // The answer's position is part of the page's schema.
        String page = doc.getString(LIST + ".responses.'200'.content.'application/json'.schema.'$ref'");
        Map<String, Object> properties = doc.getMap("components.schemas." + page.substring(page.lastIndexOf('/') + 1)
                + ".properties");
        assertTrue(properties.keySet().containsAll(List.of("items", "total", "epoch", "seq")), properties.toString());
    }

    @Test
    void documentsProblemResponsesAsProblemJson() {
        JsonPath doc = document();
        Map<String, Object> responses = doc.getMap(LIST + ".responses");
        assertTrue(responses.keySet().containsAll(List.of("200", "400", "401", "403", "503")), responses.toString());
        for (String code : List.of("400", "401", "403", "503")) {
            String ref = doc.getString(LIST + ".responses.'" + code + "'.'$ref'");
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            assertTrue(doc.getMap("components.responses." + name + ".content").containsKey("application/problem+json"),
                    code + " → " + name);
        }
        assertTrue(doc.getMap("paths.'/api/v1/alerts/{id}'.get.responses").containsKey("404"));
        // Enums as the wire writes them.
        assertEquals(List.of("critical", "high", "medium", "low", "info"), doc.getList("components.schemas.Priority.enum"));
    }

    @Test
    void documentsTheAckAndItsAlreadyHeader() {
        JsonPath doc = document();
        assertTrue(doc.getString(ACK + ".summary").startsWith("Acknowledge"));
        assertTrue(doc.getMap(ACK + ".responses.'200'.headers").containsKey("Tocsin-Already-Acknowledged"));
        assertTrue(doc.getMap(ACK + ".responses").containsKey("404"));
    }

    @Test
    void documentsClearingBySelection() {
        JsonPath doc = document();
        String body = doc.getString(CLEAR + ".requestBody.content.'application/json'.schema.'$ref'");
        String schema = "components.schemas." + body.substring(body.lastIndexOf('/') + 1);
        Map<String, Object> properties = doc.getMap(schema + ".properties");
        assertTrue(properties.keySet().containsAll(List.of("ids", "priorities", "types", "olderThan")),
                properties.toString());
        assertEquals("array", doc.getString(schema + ".properties.ids.type"));
        assertEquals("string", doc.getString(schema + ".properties.ids.items.type"));
        assertEquals(1, doc.getInt(schema + ".properties.ids.minItems"));
        assertEquals(AlertIds.MAX_PER_CLEAR, doc.getInt(schema + ".properties.ids.maxItems"));
        assertTrue(doc.getString(schema + ".properties.ids.description").contains("may not see"));
        assertTrue(doc.getMap(CLEAR + ".responses").keySet().containsAll(List.of("200", "400", "401", "403")));
    }

    @Test
    void documentsTheBearerSchemeOnEveryApiOperation() {
        JsonPath doc = document();
        assertEquals("http", doc.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        assertEquals("JWT", doc.getString("components.securitySchemes.bearer.bearerFormat"));
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        paths.forEach((path, operations) -> operations.keySet().forEach(method -> {
            String at = "paths.'" + path + "'." + method;
            assertTrue(doc.getMap(at + ".security[0]").containsKey("bearer"), method + " " + path);
        }));
    }

    private static Map<String, Object> parameter(JsonPath doc, String name) {
        Map<String, Object> parameter = doc.getMap(LIST + ".parameters.find { it.name == '" + name + "' }");
        assertTrue(parameter != null && !parameter.isEmpty(), "parameter " + name + " is documented");
        return parameter;
    }
}
