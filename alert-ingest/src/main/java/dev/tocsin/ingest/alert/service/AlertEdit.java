package dev.tocsin.ingest.alert.service;

import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;

import java.time.Instant;
import java.util.Map;

/** The fields an edit sets; null leaves a field as it is. Validated by the REST layer. */
public record AlertEdit(String title, String message, Priority priority, Double riskScore, Location location,
                        Instant expiresAt, Map<String, Object> metadata) {
}
