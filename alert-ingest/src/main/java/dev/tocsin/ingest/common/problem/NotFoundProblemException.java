package dev.tocsin.ingest.common.problem;

/** The addressed resource does not exist (or its id cannot exist). */
public final class NotFoundProblemException extends RuntimeException {

    public NotFoundProblemException(String detail) {
        super(detail, null, false, false);
    }
}
