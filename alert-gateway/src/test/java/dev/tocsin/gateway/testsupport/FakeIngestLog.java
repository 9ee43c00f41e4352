package dev.tocsin.gateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** The requests {@link FakeIngestResource} received, read back over its {@code GET /_log}. */
public final class FakeIngestLog {

    private final String ingestUrl;

    public FakeIngestLog(String ingestUrl) {
        this.ingestUrl = ingestUrl;
    }

    /** Every request so far, oldest first: method, path, authorization, contentType, body. */
    public JsonNode entries() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(ingestUrl + "/_log")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.tree(response.body());
    }

    /** The first request to {@code path} (with that {@code Authorization} header, when given), waited for. */
    public JsonNode awaitRequest(String path, String authorization) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode entry : entries()) {
                if (entry.path("path").asText().equals(path)
                        && (authorization == null || entry.path("authorization").asText().equals(authorization))) {
                    found[0] = entry;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
