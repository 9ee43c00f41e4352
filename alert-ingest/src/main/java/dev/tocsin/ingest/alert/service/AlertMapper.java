package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.rest.AlertRequest;
import dev.tocsin.ingest.alert.rest.AudienceRequest;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
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

/** Converts between the REST request, the stored entity and the protocol {@link Alert} (REST responses and events). */
public final class AlertMapper {

    private AlertMapper() {
    }

    /** A new entity from a validated request; the caller sets id and times. */
    public static AlertEntity toEntity(AlertRequest request) {
        AlertEntity entity = new AlertEntity();
        entity.priority = request.priority.wire();
        entity.type = request.type;
        entity.title = request.title;
        entity.message = request.message;
        entity.source = request.source;
        if (request.location != null) {
            AlertEntity.LocationDoc location = new AlertEntity.LocationDoc();
            location.lat = request.location.lat;
            location.lon = request.location.lon;
            location.region = request.location.region;
            entity.location = location;
        }
        entity.riskScore = request.riskScore;
        entity.confidence = request.confidence;
        entity.affectedPopulation = request.affectedPopulation;
        entity.actionRequired = request.actionRequiredOrFalse();
        entity.actionUrl = request.actionUrl;
        entity.expiresAt = request.expiresAt == null ? null : request.expiresAt.truncatedTo(ChronoUnit.MILLIS);
        entity.audience = toAudienceDoc(request.audience);
        entity.metadata = request.metadata == null ? null : toBsonDocument(request.metadata);
        entity.escalationGroup = request.escalationGroup;
        entity.status = wire(AlertStatus.ACTIVE);
        entity.lastChange = wire(AlertChange.CREATED);
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
                entity.escalationGroup);
    }

    static AlertEntity.AudienceDoc toAudienceDoc(AudienceRequest request) {
        AlertEntity.AudienceDoc doc = new AlertEntity.AudienceDoc();
        if (request == null || Boolean.TRUE.equals(request.everyone)) {
            doc.everyone = true;
            doc.users = List.of();
            doc.groups = List.of();
        } else {
            doc.everyone = false;
            doc.users = request.users == null ? List.of() : request.users.stream().sorted().toList();
            doc.groups = request.groups == null ? List.of() : request.groups.stream().sorted().toList();
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
