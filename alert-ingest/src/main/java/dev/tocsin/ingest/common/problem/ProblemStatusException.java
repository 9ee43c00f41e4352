package dev.tocsin.ingest.common.problem;

/**
 * A request that conflicts with the resource's state: 409 (the state forbids it), 412 (a stale {@code If-Match}),
 * 422 (an {@code Idempotency-Key} reused for another request) or 428 (a write that needs {@code If-Match} came
 * without one). One class for them: they differ in status and type only.
 */
public final class ProblemStatusException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;

    private ProblemStatusException(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public static ProblemStatusException conflict(String detail) {
        return new ProblemStatusException(409, "conflict", "Conflict", detail);
    }

    /** 409: the alert holds as many notes as it may. */
    public static ProblemStatusException noteLimitReached(String detail) {
        return new ProblemStatusException(409, "note-limit-reached", "Note Limit Reached", detail);
    }

    public static ProblemStatusException preconditionFailed(String detail) {
        return new ProblemStatusException(412, "precondition-failed", "Precondition Failed", detail);
    }

    public static ProblemStatusException idempotencyKeyReused(String detail) {
        return new ProblemStatusException(422, "idempotency-key-reused", "Idempotency-Key Reused", detail);
    }

    public static ProblemStatusException preconditionRequired(String detail) {
        return new ProblemStatusException(428, "precondition-required", "Precondition Required", detail);
    }

    public Problem toProblem() {
        return Problem.of(slug, title, status, getMessage());
    }
}
