package dev.tocsin.ingest.common.problem;

import dev.tocsin.protocol.json.Json;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * An RFC 9457 problem body. Every 4xx/5xx this service answers carries one; {@code errors} names each bad field.
 * Details are written for clients: never a stack trace, never the offending input echoed back.
 */
@RegisterForReflection
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://tocsin.dev/problems/";

    public Problem {
        errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    }

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null);
    }

    public static Problem validation(String detail, List<FieldError> errors) {
        return new Problem(TYPE_BASE + "validation", "Invalid request", 400, detail, errors);
    }

    /**
     * The problem as a response. The body is encoded here by the one codec (rather than left to a message body
     * writer) because {@code application/problem+json} must not depend on which writers match that media type.
     */
    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(Json.encode(this)).build();
    }
}
