package dev.tocsin.ingest.common.openapi;

/**
 * Names of the problem responses that {@code package-info.java} of this package defines once in the OpenAPI
 * document's components; operations refer to them with {@code @APIResponse(responseCode = "400", ref = BAD_REQUEST)}.
 */
public final class ProblemResponses {

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String UNAVAILABLE = "Unavailable";

    private ProblemResponses() {
    }
}
