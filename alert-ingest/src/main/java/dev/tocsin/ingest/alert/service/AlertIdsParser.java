package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.common.problem.NotFoundProblemException;
import org.bson.types.ObjectId;

import java.util.Optional;

/** Alert ids are ObjectIds: anything else names no alert that can exist (404, never a 500 from the driver). */
final class AlertIdsParser {

    private AlertIdsParser() {
    }

    static Optional<ObjectId> parse(String id) {
        return id == null || !ObjectId.isValid(id) ? Optional.empty() : Optional.of(new ObjectId(id));
    }

    /** The 404 for an alert that does not exist or that the caller may not see (its existence is not revealed). */
    static NotFoundProblemException noSuchAlert() {
        return new NotFoundProblemException("no alert with this id");
    }
}
