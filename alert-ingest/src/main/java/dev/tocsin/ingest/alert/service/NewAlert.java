package dev.tocsin.ingest.alert.service;

import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Map;

/**
 * An alert to create, as the sender described it (already validated); the service adds its id, times and
 * life-cycle state.
 *
 * @param audience who may see it, never null ({@link Audience#EVERYONE} when the sender named nobody)
 * @param metadata free-form, as decoded from JSON; null when absent
 */
@RegisterForReflection // encoded to JSON for the Idempotency-Key fingerprint
public record NewAlert(Priority priority, String type, String title, String message, String source, Location location,
                       Double riskScore, Double confidence, Long affectedPopulation, boolean actionRequired,
                       String actionUrl, Instant expiresAt, Audience audience, Map<String, Object> metadata,
                       String escalationGroup) {
}
