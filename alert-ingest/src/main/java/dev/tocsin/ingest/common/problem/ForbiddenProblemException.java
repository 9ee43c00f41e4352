package dev.tocsin.ingest.common.problem;

/** The caller is known but may not do this (with a reason more specific than "your roles do not allow it"). */
public final class ForbiddenProblemException extends RuntimeException {

    public ForbiddenProblemException(String detail) {
        super(detail, null, false, false);
    }
}
