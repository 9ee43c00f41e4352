package dev.tocsin.protocol.alert;

import java.time.Instant;
import java.util.Map;

/**
 * An alert as every service sees it: stored by alert-ingest, carried in events, sent to clients and pushed by
 * the relay. Validation lives at the edge that accepts alerts (the REST API); this record only carries data.
 *
 * @param id                 the alert id (MongoDB ObjectId as hex)
 * @param priority           urgency
 * @param type               category such as {@code outbreak_risk}, {@code system_health}, {@code data_quality}
 * @param riskScore          0..1, may be null
 * @param confidence         0..1, may be null
 * @param affectedPopulation people affected, may be null
 * @param audience           who may see it
 * @param metadata           free-form, size-bounded key/values
 */
public record Alert(
        String id,
        Priority priority,
        String type,
        String title,
        String message,
        String source,
        Location location,
        Double riskScore,
        Double confidence,
        Long affectedPopulation,
        boolean actionRequired,
        String actionUrl,
        Instant expiresAt,
        Instant createdAt,
        Instant updatedAt,
        Audience audience,
        Map<String, Object> metadata) {

    /** The audience in force: an alert without one is addressed to everyone. */
    public Audience effectiveAudience() {
        return audience == null ? Audience.EVERYONE : audience;
    }
}
