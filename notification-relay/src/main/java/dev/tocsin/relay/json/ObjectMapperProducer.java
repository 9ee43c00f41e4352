package dev.tocsin.relay.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tocsin.protocol.json.Json;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes Quarkus REST (and anything else that injects an {@link ObjectMapper}) use Tocsin's one JSON codec, so
 * JSON written by the relay looks exactly like JSON written by the other services.
 */
public class ObjectMapperProducer {

    @Produces
    @Singleton
    ObjectMapper objectMapper() {
        return Json.newMapper();
    }
}
