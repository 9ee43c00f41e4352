package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.alert.repository.AlertRepository.ClearCriteria;
import dev.tocsin.ingest.alert.service.AlertAssigning;
import dev.tocsin.ingest.alert.service.AlertEditing;
import dev.tocsin.ingest.alert.service.AlertNotes;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.ingest.alert.service.AlertOutcomes;
import dev.tocsin.ingest.alert.service.AlertService;
import dev.tocsin.ingest.alert.service.AlertTimeline;
import dev.tocsin.ingest.alert.service.AlertTimelines;
import dev.tocsin.ingest.alert.service.IdempotentCreation;
import dev.tocsin.ingest.common.openapi.ProblemResponses;
import dev.tocsin.ingest.common.problem.NotFoundProblemException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertHeaders;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.auth.Roles;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.Explode;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * The alert API: admins create, edit and retract; publishers (sensors, services) create alerts and read, edit and
 * retract the ones they created, nothing else; everyone with a viewing role reads, lists, reads timelines of and
 * acknowledges the alerts whose audience includes them (admins: all); the acknowledger or an admin takes an
 * acknowledgment back; operators and admins clear and resolve. Responses that carry one alert carry its version as
 * {@code ETag}, which an edit sends back in {@code If-Match}. Blocking (MongoDB via Panache) on worker threads: this API carries admin traffic,
 * not fan-out load, which the gateway handles.
 */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "alerts")
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
public class AlertResource {

    /**
     * Response header of {@code POST /{id}/ack}: {@code false} exactly when this request performed the
     * acknowledgment, {@code true} when the alert had been acknowledged before (the gateway's {@code already}).
     */
    public static final String ALREADY_ACKNOWLEDGED = AlertHeaders.ALREADY_ACKNOWLEDGED;

    private final AlertService service;
    private final AlertEditing editing;
    private final AlertOutcomes outcomes;
    private final AlertTimelines timelines;
    private final IdempotentCreation idempotent;
    private final AlertAssigning assigning;
    private final AlertNotes notes;
    private final IngestConfig config;
    private final JsonWebToken token;
    private final IngestMetrics metrics;

    public AlertResource(AlertService service, AlertEditing editing, AlertOutcomes outcomes, AlertTimelines timelines,
            IdempotentCreation idempotent, AlertAssigning assigning, AlertNotes notes, IngestConfig config,
            JsonWebToken token, IngestMetrics metrics) {
        this.metrics = metrics;
        this.idempotent = idempotent;
        this.assigning = assigning;
        this.notes = notes;
        this.service = service;
        this.editing = editing;
        this.outcomes = outcomes;
        this.timelines = timelines;
        this.config = config;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Create an alert (admin, publisher)")
    @APIResponse(responseCode = "201", description = "Created, at version 1; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Alert.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "409", description = "A request with the same Idempotency-Key is still in progress; "
            + "retry")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for another request "
            + "(idempotency-key-reused)")
    public Response create(@Valid @NotNull(message = "a JSON object is required") AlertRequest body,
            @Parameter(description = "Makes retries safe: a retry with the same key (same caller, same request) within "
                    + "the key period (24 h by default) answers the alert the first request created, 201 with "
                    + IdempotencyKey.REPLAYED + ": true, and creates none. 1 to 200 printable ASCII characters.")
            @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey,
            @Context UriInfo uriInfo, @Context HttpHeaders headers, @Context RoutingContext routing) {
        long arrived = RequestArrival.of(routing);
        String key = IdempotencyKey.parse(headers.getRequestHeader(IdempotencyKey.HEADER));
        String creator = Caller.of(token).user();
        IdempotentCreation.Created created = key == null
                ? new IdempotentCreation.Created(service.create(body.toNewAlert(), creator), false)
                : idempotent.create(body.toNewAlert(), creator, key);
        Alert alert = created.alert();
        if (!created.replayed()) {
            metrics.restInserted(arrived);
        }
        Response.ResponseBuilder response = Response.created(uriInfo.getAbsolutePathBuilder().path(alert.id()).build())
                .entity(alert).tag(etag(alert));
        if (created.replayed()) {
            response.header(IdempotencyKey.REPLAYED, "true");
        }
        return response.build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "List the alerts addressed to the caller, newest first",
            description = "Every filter given must match. The answer's epoch/seq is the change-event position it is "
                    + "at least as new as: every event at or below it is reflected in the items; merge later events "
                    + "by keeping the higher version per alert. epoch is absent and seq 0 before the first event.")
    @APIResponse(responseCode = "200", description = "One page, with the position it is at least as new as",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AlertService.AlertPage.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE,
            description = "Redis cannot be reached, so the page would have no position; retry")
    public AlertService.AlertPage list(
            @Parameter(description = "Page number, from 0", schema = @Schema(type = SchemaType.INTEGER, minimum = "0",
                    defaultValue = "0"))
            @QueryParam("page") String page,
            @Parameter(description = "Page size (default and maximum are settings: 50 and 200)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "50"))
            @QueryParam("size") String size,
            @Parameter(description = "Only this priority", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"critical", "high", "medium", "low", "info"}))
            @QueryParam("priority") String priority,
            @Parameter(description = "Only this type (lower snake case)")
            @QueryParam("type") String type,
            @Parameter(description = "Only alerts created at or after this instant",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("since") String since,
            @Parameter(description = "Only alerts written (created, acknowledged, cleared, expired) at or after this "
                    + "instant", schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("updatedSince") String updatedSince,
            @Parameter(in = ParameterIn.QUERY, name = "status", explode = Explode.TRUE,
                    description = "Only alerts in any of these sets; repeat the parameter or separate values by "
                            + "commas. active: active and not acknowledged; acknowledged: active and acknowledged; "
                            + "cleared; expired; resolved; retracted (admins only). The sets do not overlap. Without status: "
                            + "every alert but retracted ones.",
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StatusParameter.class))
            @QueryParam("status") List<String> status) {
        AlertListQuery query = AlertListQuery.parse(page, size, priority, type, since, updatedSince, status,
                config.api());
        return service.list(query.filter(), Caller.of(token), query.page(), query.size());
    }

    /** 404 also for an alert the caller may not see: its existence is not revealed. */
    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER, Roles.PUBLISHER})
    @Operation(summary = "Read one alert (a publisher: only the alerts it created)")
    @APIResponse(responseCode = "200", description = "The alert; ETag: its version, for If-Match of an edit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Alert.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response get(@PathParam("id") String id) {
        return withETag(service.find(id, Caller.of(token)).orElseThrow(AlertResource::notFound));
    }

    /**
     * Edits an active alert under optimistic concurrency: {@code If-Match} must carry the ETag (version) the edit was
     * made against. 412 when the alert moved on since, 428 without {@code If-Match}. Clients receive
     * {@code alert_update} {@code updated} with the new version; an edit that changes nothing writes nothing.
     */
    @PATCH
    @Path("/{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Edit an alert (admin; a publisher: the alerts it created): title, message, priority, riskScore, location, expiresAt, metadata",
            description = "Absent members stay as they are. Requires If-Match with the alert's ETag.")
    @APIResponse(responseCode = "200", description = "The alert as stored after the edit, with its new ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Alert.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The alert is not active (cleared, expired, resolved, retracted)")
    @APIResponse(responseCode = "412", description = "If-Match names an older version than the stored one")
    @APIResponse(responseCode = "428", description = "If-Match is missing")
    public Response edit(@PathParam("id") String id,
            @Parameter(description = "The ETag the edit was made against, such as \"3\"")
            @HeaderParam(IfMatch.HEADER) String ifMatch,
            @Valid @NotNull(message = "a JSON object is required") AlertPatchRequest body) {
        long version = IfMatch.version(ifMatch);
        return withETag(editing.edit(id, version, body.toEdit(), Caller.of(token)));
    }

    /** Retracts an alert sent by mistake: clients drop it ({@code alert_update} {@code deleted}); admins still see it. */
    @DELETE
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Retract an alert sent by mistake (admin; a publisher: the alerts it created); repeating it "
            + "changes nothing")
    @APIResponse(responseCode = "204", description = "Retracted (now or before)")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response retract(@PathParam("id") String id) {
        outcomes.retract(id, Caller.of(token));
        return Response.noContent().build();
    }

    /** Resolves an alert: the problem is over. Body optional: {@code {"note": "..."}} (at most 1000 characters). */
    @POST
    @Path("/{id}/resolve")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Resolve an active or cleared alert (operator, admin), with an optional note",
            description = "Repeating it changes nothing: the first resolution stays.")
    @APIResponse(responseCode = "200", description = "The alert as stored after the request",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Alert.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The alert expired or was retracted")
    public Response resolve(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ResolveRequest.class))) String body) {
        return withETag(outcomes.resolve(id, ResolveRequest.noteOf(body), Caller.of(token)));
    }

    /** Takes an acknowledgment back: the acknowledger or an admin; the alert is unacknowledged (and escalable) again. */
    @DELETE
    @Path("/{id}/ack")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Un-acknowledge an alert (the acknowledger or an admin)",
            description = "An alert nobody acknowledged is answered unchanged.")
    @APIResponse(responseCode = "200", description = "The alert as stored after the request",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Alert.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The alert was retracted")
    public Response unacknowledge(@PathParam("id") String id) {
        return withETag(outcomes.unacknowledge(id, Caller.of(token)));
    }

    /**
     * Assigns an active alert to one user or one group. Clients receive {@code alert_update} {@code updated} with the
     * whole alert (its {@code assignee}); an assignment in force already writes nothing.
     */
    @POST
    @Path("/{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Assign an active alert to a user or a group (operator, admin)",
            description = "Body: exactly one of user and group. Repeating it changes nothing.")
    @APIResponse(responseCode = "200", description = "The alert as stored after the request, with its ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Alert.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The alert is not active (cleared, expired, resolved, retracted)")
    public Response assign(@PathParam("id") String id,
            @Valid @NotNull(message = "a JSON object is required") AssignRequest body) {
        return withETag(assigning.assign(id, body.toAssignee(), Caller.of(token)));
    }

    /** Takes the assignment back; an alert assigned to nobody is answered unchanged. */
    @DELETE
    @Path("/{id}/assignee")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Unassign an active alert (operator, admin); repeating it changes nothing")
    @APIResponse(responseCode = "200", description = "The alert as stored after the request, with its ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Alert.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The alert is not active (cleared, expired, resolved, retracted)")
    public Response unassign(@PathParam("id") String id) {
        return withETag(assigning.assign(id, null, Caller.of(token)));
    }

    /** Adds a note; clients that see the alert receive it as {@code alert_note}. */
    @POST
    @Path("/{id}/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER, Roles.PUBLISHER})
    @Operation(summary = "Add a note to an alert (whoever may read the alert; a publisher: the alerts it created)",
            description = "Any status but retracted. Text 1 to tocsin.ingest.notes.max-length (2000) characters; "
                    + "at most tocsin.ingest.notes.max-per-alert (200) notes per alert.")
    @APIResponse(responseCode = "201", description = "The note as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AlertNote.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The alert was retracted (conflict), or holds the most notes it "
            + "may (note-limit-reached)")
    public Response addNote(@PathParam("id") String id,
            @Valid @NotNull(message = "a JSON object is required") NoteRequest body) {
        AlertNote note = notes.add(id, body.text, Caller.of(token));
        return Response.status(Response.Status.CREATED).entity(note).build();
    }

    /** Every note of the alert, oldest first; readable by whoever may read the alert. */
    @GET
    @Path("/{id}/notes")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER, Roles.PUBLISHER})
    @Operation(summary = "Read an alert's notes (oldest first)")
    @APIResponse(responseCode = "200", description = "The notes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AlertNotes.NoteList.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public AlertNotes.NoteList notes(@PathParam("id") String id) {
        return notes.list(id, Caller.of(token));
    }

    /** Every change of the alert, oldest first, with who and when; readable by whoever may read the alert. */
    @GET
    @Path("/{id}/timeline")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Read an alert's timeline (oldest first)")
    @APIResponse(responseCode = "200", description = "The timeline",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AlertTimeline.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public AlertTimeline timeline(@PathParam("id") String id) {
        return timelines.timeline(id, Caller.of(token));
    }

    /**
     * Acknowledges an alert. Idempotent: the first acknowledgment wins and later ones (by anyone) return the alert
     * unchanged, with 200 either way; {@link #ALREADY_ACKNOWLEDGED} tells the two apart. The change reaches
     * clients through the change stream.
     */
    @POST
    @Path("/{id}/ack")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Acknowledge an alert (the first acknowledgment wins; repeating it changes nothing)")
    @APIResponse(responseCode = "200", description = "The alert as stored after the request",
            headers = @Header(name = ALREADY_ACKNOWLEDGED, description = "false exactly when this request performed "
                    + "the acknowledgment; true when the alert had been acknowledged before",
                    schema = @Schema(type = SchemaType.BOOLEAN)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Alert.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response acknowledge(@PathParam("id") String id) {
        AlertService.Acknowledgment outcome = service.acknowledge(id, Caller.of(token))
                .orElseThrow(AlertResource::notFound);
        return Response.ok(outcome.alert()).tag(etag(outcome.alert()))
                .header(ALREADY_ACKNOWLEDGED, String.valueOf(outcome.already())).build();
    }

    /**
     * Clears the active alerts matching every given criterion (admins: all; operators: those they may see). By
     * {@code ids}, an alert the caller may not see is treated like one that does not exist: not cleared, not counted.
     */
    @POST
    @Path("/clear")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Clear the active alerts matching every given criterion (operator, admin)",
            description = "Criteria: ids, priorities, types, olderThan; at least one, and an alert must match every "
                    + "one given. Idempotent: alerts cleared already are not counted again. Operators clear only "
                    + "alerts addressed to them; other ids clear nothing, without saying whether they exist.")
    @APIResponse(responseCode = "200", description = "How many alerts changed to cleared",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClearResult.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    public ClearResult clear(@Valid @NotNull(message = "a JSON object is required") ClearRequest body) {
        List<String> priorities = body.priorities == null ? List.of()
                : body.priorities.stream().map(Priority::wire).toList();
        long cleared = service.clear(new ClearCriteria(priorities, body.types, body.olderThan, body.ids),
                Caller.of(token));
        return new ClearResult(cleared);
    }

    /** Answer of {@code POST /api/v1/alerts/clear}: how many alerts changed to cleared. */
    @RegisterForReflection
    public record ClearResult(long cleared) {
    }

    private static Response withETag(Alert alert) {
        return Response.ok(alert).tag(etag(alert)).build();
    }

    private static jakarta.ws.rs.core.EntityTag etag(Alert alert) {
        return new jakarta.ws.rs.core.EntityTag(String.valueOf(alert.version()));
    }

    private static NotFoundProblemException notFound() {
        return new NotFoundProblemException("no alert with this id");
    }
}
