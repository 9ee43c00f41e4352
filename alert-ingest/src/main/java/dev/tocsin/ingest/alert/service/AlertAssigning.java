package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertAssignments;
import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.common.problem.ProblemStatusException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Assignee;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

import java.util.Objects;

/**
 * Assigns an active alert to a user or a group, or takes the assignment back. Like the other life-cycle actions it
 * is one conditional write and idempotent: an assignment that is in force already answers the alert as it is and
 * writes nothing (no version, no timeline entry, no event). 409 when the alert is no longer active.
 */
@ApplicationScoped
public class AlertAssigning {

    private final AlertRepository repository;
    private final AlertAssignments assignments;

    public AlertAssigning(AlertRepository repository, AlertAssignments assignments) {
        this.repository = repository;
        this.assignments = assignments;
    }

    /** Assigns the alert to {@code assignee}; null takes the assignment back. */
    public Alert assign(String id, Assignee assignee, Caller caller) {
        AlertOutcomes.requireUser(caller);
        ObjectId oid = AlertIdsParser.parse(id).orElseThrow(AlertIdsParser::noSuchAlert);
        Alert current = requireActive(oid, caller);
        if (Objects.equals(current.assignee(), assignee)) {
            return current;
        }
        if (assignments.assign(oid, AlertMapper.toAssigneeDoc(assignee), caller, StoreTime.now())) {
            Log.infof("alert %s %s by %s", id, assignee == null ? "unassigned"
                    : "assigned to " + assignee.kind().wire() + " " + assignee.id(), caller.user());
            return visible(oid, caller);
        }
        // Another write came first: the alert closed (409), or was given this same assignee (nothing to do).
        return requireActive(oid, caller);
    }

    private Alert requireActive(ObjectId oid, Caller caller) {
        Alert alert = visible(oid, caller);
        if (alert.effectiveStatus() != AlertStatus.ACTIVE) {
            throw ProblemStatusException.conflict("a " + alert.effectiveStatus().name().toLowerCase(java.util.Locale.ROOT)
                    + " alert cannot be assigned");
        }
        return alert;
    }

    private Alert visible(ObjectId oid, Caller caller) {
        AlertEntity entity = repository.findVisible(oid, caller).orElseThrow(AlertIdsParser::noSuchAlert);
        return AlertMapper.toAlert(entity);
    }
}
