package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.common.problem.ForbiddenProblemException;
import dev.tocsin.ingest.common.security.Caller;
import org.bson.types.ObjectId;

/**
 * Who may edit or retract an alert: an admin any alert, a publisher the alerts it created ({@code createdBy}).
 * Another publisher's alert is 403 rather than 404: publishers are trusted services that hold ids of alerts
 * they were given, and "not yours" tells their operators what is wrong where "not found" would mislead.
 */
final class AlertOwnership {

    private AlertOwnership() {
    }

    /** The alert as stored if the caller may change it; 404 when it does not exist, 403 when it is not theirs. */
    static AlertEntity requireChangeable(AlertRepository repository, ObjectId id, Caller caller, String action) {
        if (caller.isAdmin()) {
            return repository.findVisible(id, caller).orElseThrow(AlertIdsParser::noSuchAlert);
        }
        AlertEntity alert = repository.findExisting(id).orElseThrow(AlertIdsParser::noSuchAlert);
        if (!caller.isPublisher() || !caller.created(alert.createdBy)) {
            throw new ForbiddenProblemException("only the publisher that created the alert or an admin may " + action
                    + " it");
        }
        return alert;
    }
}
