package dev.tocsin.ingest.common.problem;

import java.util.List;

/** A request that is well-formed JSON but names bad values outside Bean Validation's reach (query parameters). */
public final class BadRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public BadRequestException(List<FieldError> errors) {
        super("invalid request", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public static BadRequestException of(String field, String message) {
        return new BadRequestException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
