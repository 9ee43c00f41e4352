package dev.tocsin.ingest.common.problem;

import java.time.Duration;

/** A store this request needs cannot be reached right now; the client may retry after {@code retryAfter}. */
public final class UnavailableProblemException extends RuntimeException {

    private final Duration retryAfter;

    public UnavailableProblemException(String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
