package dev.tocsin.ingest.alert.repository;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.List;

/**
 * An alert as stored in the {@code alerts} collection. Priority is stored as its wire name ({@code critical}) so
 * the stored documents, queries and events read alike. Metadata is a {@link Document} so nested values keep
 * their BSON types.
 */
@MongoEntity(collection = AlertEntity.COLLECTION)
public class AlertEntity {

    public static final String COLLECTION = "alerts";

    /** Stored field names used by queries and partial updates (kept next to the fields they name). */
    public static final String F_STATUS = "status";
    public static final String F_ACKNOWLEDGED_BY = "acknowledgedBy";
    public static final String F_ACKNOWLEDGED_AT = "acknowledgedAt";
    public static final String F_CLEARED_BY = "clearedBy";
    public static final String F_CLEARED_AT = "clearedAt";
    public static final String F_LAST_CHANGE = "lastChange";
    public static final String F_UPDATED_AT = "updatedAt";
    public static final String F_EXPIRES_AT = "expiresAt";
    public static final String F_CREATED_AT = "createdAt";
    public static final String F_VERSION = "version";
    public static final String F_RESOLVED_BY = "resolvedBy";
    public static final String F_RESOLVED_AT = "resolvedAt";
    public static final String F_RESOLUTION = "resolution";
    public static final String F_RETRACTED_BY = "retractedBy";
    public static final String F_RETRACTED_AT = "retractedAt";
    public static final String F_TIMELINE = "timeline";
    public static final String F_CREATED_BY = "createdBy";
    public static final String F_PURGE_AT = "purgeAt";
    public static final String F_ASSIGNEE = "assignee";
    public static final String F_ASSIGNED_BY = "assignedBy";
    public static final String F_ASSIGNED_AT = "assignedAt";
    public static final String F_NOTES = "notes";
    public static final String F_NOTE_COUNT = "noteCount";

    public ObjectId id;
    public String priority;
    public String type;
    public String title;
    public String message;
    public String source;
    public LocationDoc location;
    public Double riskScore;
    public Double confidence;
    public Long affectedPopulation;
    public boolean actionRequired;
    public String actionUrl;
    public Instant expiresAt;
    public Instant createdAt;
    /** The principal that created the alert (absent on alerts stored before it was recorded: only admins edit those). */
    public String createdBy;
    public Instant updatedAt;
    public AudienceDoc audience;
    public Document metadata;
    /**
     * Life cycle as its wire name ({@code active}, {@code cleared}, {@code expired}, {@code resolved},
     * {@code retracted}); absent reads as active.
     */
    public String status;
    public String acknowledgedBy;
    public Instant acknowledgedAt;
    public String clearedBy;
    public Instant clearedAt;
    /** What the latest write did, as its wire name ({@code created}, {@code acknowledged}, ...): see AlertChange. */
    public String lastChange;
    public String escalationGroup;
    /**
     * Rises by one with every write ({@code $inc} in the same update), 1 when created. Documents stored before
     * versions existed have no field and read as 0; their next write's {@code $inc} makes them 1.
     */
    public long version;
    public String resolvedBy;
    public Instant resolvedAt;
    public String resolution;
    public String retractedBy;
    public Instant retractedAt;
    /**
     * When MongoDB's TTL monitor removes the alert (with its timeline): set by the write that closes it (cleared,
     * expired, resolved, retracted) to that time plus {@code tocsin.ingest.retention.closed-alerts}; absent while the
     * alert is active, so an active alert is never removed.
     */
    public Instant purgeAt;
    /**
     * Every change of the alert, oldest first, appended by the same single-document update as the change itself (see
     * {@link AlertRepository}). Written on insert; reads of alerts leave it out (projection), so it is null there:
     * {@link AlertRepository#timeline} reads it.
     */
    public List<TimelineEntryDoc> timeline;
    /** Who the alert is assigned to; absent when nobody is. */
    public AssigneeDoc assignee;
    /** Who assigned it, or took the assignment back, last. */
    public String assignedBy;
    public Instant assignedAt;
    /**
     * The notes, oldest first, appended by the same single-document update as their {@code noted} timeline entry;
     * at most {@code tocsin.ingest.notes.max-per-alert}. Like the timeline, reads of alerts leave them out, so that
     * alert frames stay small; {@link AlertNotesRepository#notes} reads them, and the change stream tailer takes the
     * newest one from the changed document.
     */
    public List<NoteDoc> notes;
    /** How many notes {@code notes} holds (absent: none); written with every note. */
    public int noteCount;

    public static class AssigneeDoc {
        /** {@code user} or {@code group}. */
        public String kind;
        /** The user's or group's name (not {@code id}: the entity codec maps a property {@code id} to {@code _id}). */
        public String name;
    }

    public static class NoteDoc {
        /** The note's id (not {@code id}: the entity codec maps a property {@code id} to {@code _id}). */
        public String noteId;
        public String author;
        public Instant at;
        public String text;
    }

    public static class LocationDoc {
        public Double lat;
        public Double lon;
        public String region;
    }

    public static class AudienceDoc {
        public boolean everyone;
        public List<String> users;
        public List<String> groups;
    }
}
