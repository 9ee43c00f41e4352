package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.common.problem.ForbiddenProblemException;
import dev.tocsin.ingest.common.problem.ProblemStatusException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.protocol.alert.Alert;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

/**
 * Resolve, retract and un-acknowledge. Each is one conditional update (see {@link AlertRepository}) and idempotent:
 * repeating one that already happened answers the alert as it is and writes nothing, so retries of a lost answer
 * change nothing. A request whose precondition another write took away gets 409 with the reason.
 */
@ApplicationScoped
public class AlertOutcomes {

    /** Un-ack retries when the acknowledger changes between read and write (an un-ack and a re-ack raced). */
    private static final int UNACK_ATTEMPTS = 3;

    private final AlertRepository repository;

    public AlertOutcomes(AlertRepository repository) {
        this.repository = repository;
    }

    /** Resolves an active or cleared alert the caller may see; an alert resolved before stays as it was. */
    public Alert resolve(String id, String note, Caller caller) {
        requireUser(caller);
        ObjectId oid = AlertIdsParser.parse(id).orElseThrow(AlertIdsParser::noSuchAlert);
        AlertEntity current = visible(oid, caller);
        if (!"resolved".equals(current.status)) {
            if (repository.resolve(oid, caller, note, StoreTime.now())) {
                Log.infof("alert %s resolved by %s", id, caller.user());
            } else {
                current = visible(oid, caller);
                if (!"resolved".equals(current.status)) {
                    throw ProblemStatusException.conflict("a " + current.status + " alert cannot be resolved");
                }
            }
        }
        return AlertMapper.toAlert(visible(oid, caller));
    }

    /** Retracts the alert (an admin, or the publisher that created it); repeating it changes nothing. */
    public void retract(String id, Caller caller) {
        ObjectId oid = AlertIdsParser.parse(id).orElseThrow(AlertIdsParser::noSuchAlert);
        AlertOwnership.requireChangeable(repository, oid, caller, "retract");
        if (repository.retract(oid, caller.user(), StoreTime.now())) {
            Log.infof("alert %s retracted by %s", id, caller.user());
        }
    }

    /**
     * Takes back the acknowledgment: the acknowledger or an admin may; anyone else gets 403. An alert nobody
     * acknowledged is answered as it is.
     */
    public Alert unacknowledge(String id, Caller caller) {
        requireUser(caller);
        ObjectId oid = AlertIdsParser.parse(id).orElseThrow(AlertIdsParser::noSuchAlert);
        for (int attempt = 0; attempt < UNACK_ATTEMPTS; attempt++) {
            AlertEntity current = visible(oid, caller);
            if ("retracted".equals(current.status)) {
                throw ProblemStatusException.conflict("a retracted alert cannot be changed");
            }
            if (current.acknowledgedBy == null) {
                return AlertMapper.toAlert(current);
            }
            if (!caller.isAdmin() && !current.acknowledgedBy.equals(caller.user())) {
                throw new ForbiddenProblemException("only the user who acknowledged the alert or an admin may take "
                        + "the acknowledgment back");
            }
            if (repository.unacknowledge(oid, current.acknowledgedBy, caller.user(), StoreTime.now())) {
                Log.infof("alert %s unacknowledged by %s", id, caller.user());
                return AlertMapper.toAlert(visible(oid, caller));
            }
        }
        throw ProblemStatusException.conflict("the acknowledgment kept changing; read the alert and retry");
    }

    private AlertEntity visible(ObjectId oid, Caller caller) {
        return repository.findVisible(oid, caller).orElseThrow(AlertIdsParser::noSuchAlert);
    }

    /** 403 for a token that names no user: every life-cycle write records who made it. */
    static void requireUser(Caller caller) {
        if (caller.user() == null || caller.user().isBlank()) {
            // The timeline must name who did it; a token without upn/sub cannot.
            throw new ForbiddenProblemException("the token names no user");
        }
    }
}
