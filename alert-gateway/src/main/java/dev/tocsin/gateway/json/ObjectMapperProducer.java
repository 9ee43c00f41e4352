package dev.tocsin.gateway.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tocsin.protocol.json.Json;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes Quarkus (REST, WebSocket codecs) use Tocsin's one JSON codec instead of its default mapper. */
public class ObjectMapperProducer {

    @Produces
    @Singleton
    ObjectMapper objectMapper() {
        return Json.newMapper();
    }
}
