package dev.tocsin.ingest.alert.repository;

import com.mongodb.client.model.Filters;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static dev.tocsin.ingest.alert.repository.AlertEntity.F_CREATED_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_UPDATED_AT;

/**
 * Optional filters of the listing, combined with AND; null members do not filter, an empty status set hides
 * retracted alerts only.
 *
 * @param since        {@code createdAt} at or after
 * @param updatedSince {@code updatedAt} at or after
 * @param statuses     the alert is in any of these sets (see {@link ListedStatus})
 */
public record AlertFilter(String priority, String type, Instant since, Instant updatedSince,
                          Set<ListedStatus> statuses) {

    public AlertFilter {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }

    /** The query, or null when nothing is filtered. */
    Bson toQuery() {
        List<Bson> all = new ArrayList<>();
        if (priority != null) {
            all.add(Filters.eq("priority", priority));
        }
        if (type != null) {
            all.add(Filters.eq("type", type));
        }
        if (since != null) {
            all.add(Filters.gte(F_CREATED_AT, Date.from(since)));
        }
        if (updatedSince != null) {
            all.add(Filters.gte(F_UPDATED_AT, Date.from(updatedSince)));
        }
        // No set named: every alert but retracted ones (withdrawn; an admin asks for them by name). Every set named:
        // no status condition at all (the sets cover every alert between them).
        if (statuses.isEmpty()) {
            all.add(AlertRepository.NOT_RETRACTED);
        } else if (statuses.size() < ListedStatus.values().length) {
            List<Bson> any = statuses.stream().sorted().map(ListedStatus::filter).toList();
            all.add(any.size() == 1 ? any.get(0) : Filters.or(any));
        }
        if (all.isEmpty()) {
            return null;
        }
        return all.size() == 1 ? all.get(0) : Filters.and(all);
    }
}
