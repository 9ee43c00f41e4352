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
    public Instant updatedAt;
    public AudienceDoc audience;
    public Document metadata;

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
