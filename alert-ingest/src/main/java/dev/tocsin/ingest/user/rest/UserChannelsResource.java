package dev.tocsin.ingest.user.rest;

import dev.tocsin.ingest.common.openapi.ProblemResponses;
import dev.tocsin.ingest.common.problem.BadRequestException;
import dev.tocsin.ingest.common.problem.NotFoundProblemException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.user.service.UserChannelsService;
import dev.tocsin.protocol.auth.Roles;
import dev.tocsin.protocol.user.ContactChannels;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * How the relay reaches a user without a live connection (Telegram, FCM, quiet hours, minimum priority).
 * The user id is the JWT {@code upn}/{@code sub}; a user manages their own, admins anyone's.
 */
@Path("/api/v1/users/{id}/channels")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
@Blocking
@Tag(name = "contact channels")
@APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
public class UserChannelsResource {

    private static final int MAX_USER_ID_LENGTH = 200;

    private final UserChannelsService service;
    private final JsonWebToken token;

    public UserChannelsResource(UserChannelsService service, JsonWebToken token) {
        this.service = service;
        this.token = token;
    }

    @GET
    @Operation(summary = "Read a user's contact channels (their own; admins: anyone's)")
    @APIResponse(responseCode = "200", description = "The stored channels")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public ContactChannels get(@PathParam("id") String id) {
        return service.get(checkedId(id), Caller.of(token))
                .orElseThrow(() -> new NotFoundProblemException("no contact channels for this user"));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store a user's contact channels (only admins change groups)")
    @APIResponse(responseCode = "200", description = "The stored channels")
    public ContactChannels put(@PathParam("id") String id,
            @Valid @NotNull(message = "a JSON object is required") ContactChannelsRequest body) {
        return service.put(checkedId(id), body.toUpdate(), Caller.of(token));
    }

    /** Idempotent: 204 whether or not there was anything to delete. */
    @DELETE
    @Operation(summary = "Delete a user's contact channels (idempotent)")
    @APIResponse(responseCode = "204", description = "Deleted, or there was nothing to delete")
    public Response delete(@PathParam("id") String id) {
        service.delete(checkedId(id), Caller.of(token));
        return Response.noContent().build();
    }

    private static String checkedId(String id) {
        if (id == null || id.isBlank() || id.length() > MAX_USER_ID_LENGTH) {
            throw BadRequestException.of("id", "must be a user id of 1 to " + MAX_USER_ID_LENGTH + " characters");
        }
        return id;
    }
}
