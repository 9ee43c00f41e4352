package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.alert.repository.AlertRepository.AlertFilter;
import dev.tocsin.ingest.alert.repository.AlertRepository.ClearCriteria;
import dev.tocsin.ingest.alert.service.AlertService;
import dev.tocsin.ingest.common.problem.BadRequestException;
import dev.tocsin.ingest.common.problem.FieldError;
import dev.tocsin.ingest.common.problem.NotFoundProblemException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.auth.Roles;
import dev.tocsin.protocol.json.JsonErrors;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The alert API: admins create; everyone with a role reads, lists and acknowledges the alerts whose audience
 * includes them (admins: all); operators and admins clear. Blocking (MongoDB via Panache) on worker threads: this API carries admin traffic,
 * not fan-out load, which the gateway handles.
 */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AlertResource {

    private static final Pattern TYPE = Pattern.compile(AlertRequest.TYPE_PATTERN);

    private final AlertService service;
    private final IngestConfig config;
    private final JsonWebToken token;

    public AlertResource(AlertService service, IngestConfig config, JsonWebToken token) {
        this.service = service;
        this.config = config;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response create(@Valid @NotNull(message = "a JSON object is required") AlertRequest body,
            @Context UriInfo uriInfo) {
        Alert alert = service.create(body.toNewAlert());
        return Response.created(uriInfo.getAbsolutePathBuilder().path(alert.id()).build()).entity(alert).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    public AlertService.AlertPage list(@QueryParam("page") String page, @QueryParam("size") String size,
            @QueryParam("priority") String priority, @QueryParam("type") String type,
            @QueryParam("since") String since) {
        // Query parameters are parsed here rather than by JAX-RS: a failed JAX-RS conversion answers 404.
        List<FieldError> errors = new ArrayList<>();
        int pageNumber = parseInt("page", page, 0, 0, 1_000_000, errors);
        int pageSize = parseInt("size", size, config.api().defaultPageSize(), 1, config.api().maxPageSize(), errors);
        String priorityFilter = null;
        if (priority != null && !priority.isBlank()) {
            try {
                priorityFilter = Priority.valueOf(priority.trim().toUpperCase(Locale.ROOT)).wire();
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("priority", "must be one of " + JsonErrors.enumValues(Priority.class)));
            }
        }
        String typeFilter = null;
        if (type != null && !type.isBlank()) {
            if (type.length() > 64 || !TYPE.matcher(type).matches()) {
                errors.add(new FieldError("type", AlertRequest.TYPE_MESSAGE));
            } else {
                typeFilter = type;
            }
        }
        Instant sinceFilter = null;
        if (since != null && !since.isBlank()) {
            try {
                sinceFilter = Instant.parse(since.trim());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("since", "must be an ISO-8601 instant such as 2025-01-31T12:00:00Z"));
            }
        }
        if (!errors.isEmpty()) {
            throw new BadRequestException(errors);
        }
        return service.list(new AlertFilter(priorityFilter, typeFilter, sinceFilter), Caller.of(token),
                pageNumber, pageSize);
    }

    /** 404 also for an alert the caller may not see: its existence is not revealed. */
    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    public Alert get(@PathParam("id") String id) {
        return service.find(id, Caller.of(token)).orElseThrow(AlertResource::notFound);
    }

    /**
     * Acknowledges an alert. Idempotent: the first acknowledgment wins and later ones (by anyone) return the alert
     * unchanged, with 200 either way. The change reaches clients through the change stream.
     */
    @POST
    @Path("/{id}/ack")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    public Alert acknowledge(@PathParam("id") String id) {
        return service.acknowledge(id, Caller.of(token)).orElseThrow(AlertResource::notFound);
    }

    /** Clears the active alerts matching every given criterion (admins: all; operators: those they may see). */
    @POST
    @Path("/clear")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public ClearResult clear(@Valid @NotNull(message = "a JSON object is required") ClearRequest body) {
        List<String> priorities = body.priorities == null ? List.of()
                : body.priorities.stream().map(Priority::wire).toList();
        long cleared = service.clear(new ClearCriteria(priorities, body.types, body.olderThan), Caller.of(token));
        return new ClearResult(cleared);
    }

    /** Answer of {@code POST /api/v1/alerts/clear}: how many alerts changed to cleared. */
    public record ClearResult(long cleared) {
    }

    private static NotFoundProblemException notFound() {
        return new NotFoundProblemException("no alert with this id");
    }

    private static int parseInt(String name, String value, int defaultValue, int min, int max, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(name, "must be an integer from " + min + " to " + max));
        return defaultValue;
    }
}
