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
 * @param status             life cycle; null reads as {@link AlertStatus#ACTIVE}
 * @param acknowledgedBy     the user who acknowledged it first, or null
 * @param acknowledgedAt     when it was acknowledged, or null
 * @param clearedBy          the user who cleared it, or null
 * @param clearedAt          when it was cleared, or null
 * @param lastChange         what the latest write did (see {@link AlertChange})
 * @param escalationGroup    who is paged when a critical alert stays unacknowledged (for example
 *                           {@code oncall-eu}), or null for the alert's own recipients only
 * @param version            rises by one with every write of the alert (1 when created), so a client that sees the same
 *                           alert over REST and over the WebSocket keeps the newer copy; 0 when unknown (stored before
 *                           versions existed)
 * @param resolvedBy         the operator or admin who resolved it, or null
 * @param resolvedAt         when it was resolved, or null
 * @param resolution         the resolver's note (bounded), or null
 * @param assignee           the user or group the alert is assigned to, or null
 * @param assignedBy         who assigned it (or took the assignment back last), or null
 * @param assignedAt         when, or null
 * @param noteCount          how many notes the alert has (the notes themselves are read separately, see
 *                           {@link AlertNote}); 0 when none
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
        Map<String, Object> metadata,
        AlertStatus status,
        String acknowledgedBy,
        Instant acknowledgedAt,
        String clearedBy,
        Instant clearedAt,
        AlertChange lastChange,
        String escalationGroup,
        long version,
        String resolvedBy,
        Instant resolvedAt,
        String resolution,
        Assignee assignee,
        String assignedBy,
        Instant assignedAt,
        int noteCount) {

    /** An alert never assigned and without notes (kept for the callers that build such alerts). */
    public Alert(String id, Priority priority, String type, String title, String message, String source,
            Location location, Double riskScore, Double confidence, Long affectedPopulation, boolean actionRequired,
            String actionUrl, Instant expiresAt, Instant createdAt, Instant updatedAt, Audience audience,
            Map<String, Object> metadata, AlertStatus status, String acknowledgedBy, Instant acknowledgedAt,
            String clearedBy, Instant clearedAt, AlertChange lastChange, String escalationGroup, long version,
            String resolvedBy, Instant resolvedAt, String resolution) {
        this(id, priority, type, title, message, source, location, riskScore, confidence, affectedPopulation,
                actionRequired, actionUrl, expiresAt, createdAt, updatedAt, audience, metadata, status, acknowledgedBy,
                acknowledgedAt, clearedBy, clearedAt, lastChange, escalationGroup, version, resolvedBy, resolvedAt,
                resolution, null, null, null, 0);
    }

    /** An alert that was not resolved (kept for the many callers that build unresolved alerts). */
    public Alert(String id, Priority priority, String type, String title, String message, String source,
            Location location, Double riskScore, Double confidence, Long affectedPopulation, boolean actionRequired,
            String actionUrl, Instant expiresAt, Instant createdAt, Instant updatedAt, Audience audience,
            Map<String, Object> metadata, AlertStatus status, String acknowledgedBy, Instant acknowledgedAt,
            String clearedBy, Instant clearedAt, AlertChange lastChange, String escalationGroup, long version) {
        this(id, priority, type, title, message, source, location, riskScore, confidence, affectedPopulation,
                actionRequired, actionUrl, expiresAt, createdAt, updatedAt, audience, metadata, status, acknowledgedBy,
                acknowledgedAt, clearedBy, clearedAt, lastChange, escalationGroup, version, null, null, null);
    }

    /** An alert without a known version (0), as stored before versions existed. */
    public Alert(String id, Priority priority, String type, String title, String message, String source,
            Location location, Double riskScore, Double confidence, Long affectedPopulation, boolean actionRequired,
            String actionUrl, Instant expiresAt, Instant createdAt, Instant updatedAt, Audience audience,
            Map<String, Object> metadata, AlertStatus status, String acknowledgedBy, Instant acknowledgedAt,
            String clearedBy, Instant clearedAt, AlertChange lastChange, String escalationGroup) {
        this(id, priority, type, title, message, source, location, riskScore, confidence, affectedPopulation,
                actionRequired, actionUrl, expiresAt, createdAt, updatedAt, audience, metadata, status, acknowledgedBy,
                acknowledgedAt, clearedBy, clearedAt, lastChange, escalationGroup, 0);
    }

    /** The audience in force: an alert without one is addressed to everyone. */
    public Audience effectiveAudience() {
        return audience == null ? Audience.EVERYONE : audience;
    }

    /** The status in force: an alert without one is active. */
    public AlertStatus effectiveStatus() {
        return status == null ? AlertStatus.ACTIVE : status;
    }

    public boolean isAcknowledged() {
        return acknowledgedBy != null;
    }
}
