package dev.tocsin.ingest.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.tocsin.protocol.json.JsonErrors;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns every failure of a REST request into an RFC 9457 problem. Security exceptions reach these mappers
 * because proactive authentication is off and {@code /api/*} permissions apply at the JAX-RS layer (see
 * application.properties); otherwise Vert.x would answer 401/403 with an empty body.
 */
public class ProblemExceptionMappers {

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new FieldError(fieldOf(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return Problem.validation(errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid",
                errors).toResponse();
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return Problem.validation("the request has invalid values", e.errors()).toResponse();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return jsonProblem(e);
    }

    // Listed separately: Quarkus registers built-in mappers for these subtypes, and the most specific mapper wins.
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return jsonProblem(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return jsonProblem(e);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundProblemException e) {
        return Problem.of("not-found", "Not found", 404, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response forbiddenProblem(ForbiddenProblemException e) {
        return Problem.of("forbidden", "Forbidden", 403, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response state(ProblemStatusException e) {
        return e.toProblem().toResponse();
    }

    @ServerExceptionMapper
    public Response unavailable(UnavailableProblemException e) {
        Response problem = Problem.of("unavailable", "Service Unavailable", 503, e.getMessage()).toResponse();
        return Response.fromResponse(problem)
                .header("Retry-After", Math.max(1, e.retryAfter().toSeconds())).build();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthorizedResponse();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorizedResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of("forbidden", "Forbidden", 403, "your roles do not allow this request").toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return jsonProblem(jpe);
        }
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (status >= 500) {
            return internal(e);
        }
        Response.StatusType info = Response.Status.fromStatusCode(status);
        String title = info == null ? "Request failed" : info.getReasonPhrase();
        Response problem = Problem.of(slug(title), title, status, title.toLowerCase(Locale.ROOT)).toResponse();
        // Keep headers that carry meaning for the client (Allow on 405, WWW-Authenticate on 401).
        if (original != null) {
            Response.ResponseBuilder builder = Response.fromResponse(problem);
            for (String header : List.of("Allow", "WWW-Authenticate", "Retry-After")) {
                Object value = original.getHeaders().getFirst(header);
                if (value != null) {
                    builder.header(header, value);
                }
            }
            return builder.build();
        }
        return problem;
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return internal(e);
    }

    private static Response internal(Throwable e) {
        // The client gets an id to quote; the log gets the stack trace. Nothing internal leaves the service.
        String errorId = UUID.randomUUID().toString();
        Log.errorf(e, "request failed, error id %s", errorId);
        return Problem.of("internal", "Internal error", 500, "the request could not be completed; error id " + errorId)
                .toResponse();
    }

    private static Response unauthorizedResponse() {
        Response problem = Problem.of("unauthorized", "Unauthorized", 401,
                "a valid bearer token is required").toResponse();
        return Response.fromResponse(problem).header("WWW-Authenticate", "Bearer").build();
    }

    private static Response jsonProblem(JsonProcessingException e) {
        String field = e instanceof JsonMappingException jme ? JsonErrors.pathOf(jme) : null;
        String message;
        if (e instanceof InvalidFormatException ife && ife.getTargetType() != null && ife.getTargetType().isEnum()) {
            message = "must be one of " + JsonErrors.enumValues(ife.getTargetType());
        } else if (e instanceof UnrecognizedPropertyException) {
            message = "unknown field";
        } else if (e instanceof MismatchedInputException mie && field != null) {
            message = "wrong type" + (mie.getTargetType() == null ? "" : ", expected " + JsonErrors.expected(mie.getTargetType()));
        } else if (e instanceof JsonMappingException && field != null) {
            message = "invalid value";
        } else {
            // Parse errors: report where, never what (the input may hold anything).
            field = field == null ? "body" : field;
            message = e.getLocation() == null ? "malformed JSON"
                    : "malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return Problem.validation("the request body could not be read", List.of(new FieldError(
                field == null ? "body" : field, message))).toResponse();
    }

    /** The path below the method parameter: {@code create.body.location.lat} becomes {@code location.lat}. */
    static String fieldOf(Path path) {
        StringBuilder sb = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            String name = node.getName();
            if (node.getIndex() != null && sb.length() > 0) {
                sb.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null && sb.length() > 0) {
                sb.append('[').append(node.getKey()).append(']');
            }
            if (name != null && !name.startsWith("<")) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(name);
            }
        }
        if (!sb.isEmpty()) {
            return sb.toString();
        }
        return parameter == null ? "body" : parameter;
    }

    private static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
