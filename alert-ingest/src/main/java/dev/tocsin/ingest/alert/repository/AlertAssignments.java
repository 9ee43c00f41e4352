package dev.tocsin.ingest.alert.repository;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import dev.tocsin.ingest.common.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import static dev.tocsin.ingest.alert.repository.AlertEntity.F_ASSIGNED_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_ASSIGNED_BY;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_ASSIGNEE;

/**
 * Writes an alert's assignee: one conditional update like every life-cycle write of {@link AlertRepository} (the
 * filter states the precondition: active, visible to the caller, and assigned to someone else), with the timeline
 * entry, {@code lastChange} {@code assigned}, {@code updatedAt} and the version bump in that same update. An
 * assignment that would change nothing matches nothing and writes nothing.
 */
@ApplicationScoped
public class AlertAssignments {

    private final AlertRepository alerts;

    public AlertAssignments(AlertRepository alerts) {
        this.alerts = alerts;
    }

    /**
     * Assigns the active alert to {@code assignee} ({@code kind} {@code user} or {@code group}), or takes the
     * assignment back ({@code assignee} null). True when this call changed it.
     */
    public boolean assign(ObjectId id, AlertEntity.AssigneeDoc assignee, Caller caller, Instant at) {
        Date when = Date.from(at);
        TimelineEntryDoc entry = TimelineEntryDoc.of(assignee == null ? TimelineKind.UNASSIGNED
                : TimelineKind.ASSIGNED, caller.user(), at);
        entry.assignee = assignee;
        List<Bson> own = List.of(
                assignee == null ? Updates.unset(F_ASSIGNEE)
                        : Updates.set(F_ASSIGNEE, new Document("kind", assignee.kind).append("name", assignee.name)),
                Updates.set(F_ASSIGNED_BY, caller.user()),
                Updates.set(F_ASSIGNED_AT, when));
        UpdateResult result = alerts.mongoCollection().updateOne(
                Filters.and(Filters.eq("_id", id), AlertRepository.ACTIVE, AlertRepository.visibleTo(caller),
                        changes(assignee)),
                Updates.combine(AlertRepository.concat(own, AlertRepository.stamp("assigned", when, entry))));
        return result.getModifiedCount() == 1;
    }

    /** Matches an alert whose assignee differs from {@code assignee} (null: one that has an assignee). */
    private static Bson changes(AlertEntity.AssigneeDoc assignee) {
        if (assignee == null) {
            return Filters.exists(F_ASSIGNEE + ".kind", true);
        }
        return Filters.or(Filters.ne(F_ASSIGNEE + ".kind", assignee.kind), Filters.ne(F_ASSIGNEE + ".name", assignee.name));
    }
}
