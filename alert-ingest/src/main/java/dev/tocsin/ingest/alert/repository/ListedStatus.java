package dev.tocsin.ingest.alert.repository;

import com.mongodb.client.model.Filters;
import org.bson.conversions.Bson;

import java.util.Locale;
import java.util.Optional;

import static dev.tocsin.ingest.alert.repository.AlertEntity.F_ACKNOWLEDGED_BY;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_STATUS;

/**
 * The status sets the listing filters by. They do not overlap: an acknowledgment leaves the stored {@code status}
 * active, so {@link #ACTIVE} is "active and nobody acknowledged it" and {@link #ACKNOWLEDGED} "active and
 * acknowledged"; a cleared, expired, resolved or retracted alert belongs to its status's set whether it was
 * acknowledged or not. A document without {@code status} (written before the life cycle existed) counts as active.
 */
public enum ListedStatus {

    ACTIVE(Filters.and(AlertRepository.ACTIVE, Filters.eq(F_ACKNOWLEDGED_BY, null))),
    ACKNOWLEDGED(Filters.and(AlertRepository.ACTIVE, Filters.ne(F_ACKNOWLEDGED_BY, null))),
    CLEARED(Filters.eq(F_STATUS, "cleared")),
    EXPIRED(Filters.eq(F_STATUS, "expired")),
    RESOLVED(Filters.eq(F_STATUS, "resolved")),
    /** Admins only (others never see a retracted alert); left out unless asked for by name. */
    RETRACTED(Filters.eq(F_STATUS, "retracted"));

    private final Bson filter;

    ListedStatus(Bson filter) {
        this.filter = filter;
    }

    /** The name in query parameters: lower case. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The set named {@code value} (case-insensitive, surrounding blanks ignored); empty when there is none. */
    public static Optional<ListedStatus> fromWire(String value) {
        String wanted = value.trim();
        for (ListedStatus status : values()) {
            if (status.wire().equalsIgnoreCase(wanted)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    Bson filter() {
        return filter;
    }
}
