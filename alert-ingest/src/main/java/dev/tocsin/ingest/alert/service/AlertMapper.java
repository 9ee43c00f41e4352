package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;
import org.bson.Document;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Converts a {@link NewAlert} to the stored entity, and the stored entity to the protocol {@link Alert} (REST responses and events). */
public final class AlertMapper {

    private AlertMapper() {
    }

    /** A new entity at version 1; the caller sets id and times. */
    public static AlertEntity toEntity(NewAlert alert) {
        AlertEntity entity = new AlertEntity();
        entity.priority = alert.priority().wire();
        entity.type = alert.type();
        entity.title = alert.title();
        entity.message = alert.message();
        entity.source = alert.source();
        if (alert.location() != null) {
            AlertEntity.LocationDoc location = new AlertEntity.LocationDoc();
            location.lat = alert.location().lat();
            location.lon = alert.location().lon();
            location.region = alert.location().region();
            entity.location = location;
        }
        entity.riskScore = alert.riskScore();
        entity.confidence = alert.confidence();
        entity.affectedPopulation = alert.affectedPopulation();
        entity.actionRequired = alert.actionRequired();
        entity.actionUrl = alert.actionUrl();
        entity.expiresAt = alert.expiresAt() == null ? null : alert.expiresAt().truncatedTo(ChronoUnit.MILLIS);
        entity.audience = toAudienceDoc(alert.audience());
        entity.metadata = alert.metadata() == null ? null : toBsonDocument(alert.metadata());
        entity.escalationGroup = alert.escalationGroup();
        entity.status = wire(AlertStatus.ACTIVE);
        entity.lastChange = wire(AlertChange.CREATED);
        entity.version = 1;
        return entity;
    }

    public static Alert toAlert(AlertEntity entity) {
        return new Alert(
                entity.id == null ? null : entity.id.toHexString(),
                parsePriority(entity.priority),
                entity.type,
                entity.title,
                entity.message,
                entity.source,
                entity.location == null ? null
                        : new Location(entity.location.lat, entity.location.lon, entity.location.region),
                entity.riskScore,
                entity.confidence,
                entity.affectedPopulation,
                entity.actionRequired,
                entity.actionUrl,
                entity.expiresAt,
                entity.createdAt,
                entity.updatedAt,
                toAudience(entity.audience),
                entity.metadata,
                parseEnum(AlertStatus.class, entity.status),
                entity.acknowledgedBy,
                entity.acknowledgedAt,
                entity.clearedBy,
                entity.clearedAt,
                parseEnum(AlertChange.class, entity.lastChange),
                entity.escalationGroup,
                entity.version,
                entity.resolvedBy,
                entity.resolvedAt,
                entity.resolution,
                toAssignee(entity.assignee),
                entity.assignedBy,
                entity.assignedAt,
                entity.noteCount);
    }

    /** Null for none, or for a stored kind this version does not know. */
    static Assignee toAssignee(AlertEntity.AssigneeDoc doc) {
        if (doc == null || doc.name == null) {
            return null;
        }
        Assignee.Kind kind = parseEnum(Assignee.Kind.class, doc.kind);
        return kind == null ? null : new Assignee(kind, doc.name);
    }

    static AlertEntity.AssigneeDoc toAssigneeDoc(Assignee assignee) {
        if (assignee == null) {
            return null;
        }
        AlertEntity.AssigneeDoc doc = new AlertEntity.AssigneeDoc();
        doc.kind = assignee.kind().wire();
        doc.name = assignee.id();
        return doc;
    }

    /** A stored note as the protocol's {@link AlertNote}. */
    public static AlertNote toNote(AlertEntity.NoteDoc doc) {
        return new AlertNote(doc.noteId, doc.author, doc.at, doc.text);
    }

    /** Members sorted, so that equal audiences are stored alike. */
    static AlertEntity.AudienceDoc toAudienceDoc(Audience audience) {
        AlertEntity.AudienceDoc doc = new AlertEntity.AudienceDoc();
        if (audience == null || audience.everyone()) {
            doc.everyone = true;
            doc.users = List.of();
            doc.groups = List.of();
        } else {
            doc.everyone = false;
            doc.users = audience.users().stream().sorted().toList();
            doc.groups = audience.groups().stream().sorted().toList();
        }
        return doc;
    }

    static Audience toAudience(AlertEntity.AudienceDoc doc) {
        if (doc == null || doc.everyone) {
            return Audience.EVERYONE;
        }
        return Audience.of(doc.users, doc.groups);
    }

    /** Lenient on read: a stored priority written by hand in another case still maps; unknown ones stay null. */
    static Priority parsePriority(String value) {
        return parseEnum(Priority.class, value);
    }

    /** Lenient on read, like {@link #parsePriority}: unknown stored names map to null. */
    static <E extends Enum<E>> E parseEnum(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The stored (and wire) name of an enum constant: lower case. */
    public static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * JSON-decoded metadata as a BSON document: integers that do not fit a long and decimals of arbitrary
     * precision become Decimal128 (the driver has no codec for BigInteger/BigDecimal).
     */
    static Document toBsonDocument(Map<String, Object> map) {
        Document document = new Document();
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            document.put(entry.getKey(), toBsonValue(entry.getValue()));
        }
        return document;
    }

    @SuppressWarnings("unchecked")
    private static Object toBsonValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return toBsonDocument(copy);
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(toBsonValue(element));
            }
            return copy;
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : new Decimal128(new BigDecimal(big));
        }
        if (value instanceof BigDecimal decimal) {
            try {
                return new Decimal128(decimal);
            } catch (NumberFormatException e) {
                return decimal.doubleValue(); // beyond Decimal128's range: keep magnitude, lose precision
            }
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        return value;
    }
}
