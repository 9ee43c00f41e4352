package dev.tocsin.protocol.quarkus;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tocsin.protocol.json.Json;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes Quarkus (REST bodies, WebSocket codecs, anything that injects an {@link ObjectMapper}) use Tocsin's one JSON
 * codec instead of its default mapper, in every service: HTTP bodies, WebSocket frames and Redis events agree byte
 * for byte.
 */
public class ObjectMapperProducer {

    @Produces
    @Singleton
    ObjectMapper objectMapper() {
        return Json.newMapper();
    }
}
