package dev.tocsin.ingest.common.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tocsin.protocol.json.Json;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** REST reads and writes JSON with the one Tocsin codec, so HTTP bodies and Redis events agree byte for byte. */
public class ObjectMapperProducer {

    @Produces
    @Singleton
    ObjectMapper objectMapper() {
        return Json.newMapper();
    }
}
