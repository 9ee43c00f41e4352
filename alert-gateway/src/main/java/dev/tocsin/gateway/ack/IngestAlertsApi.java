package dev.tocsin.gateway.ack;

import dev.tocsin.protocol.alert.AlertHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The part of alert-ingest's REST API the gateway calls, always with the user's own bearer token, so ingest applies
 * the user's rights and records the user as the actor. Built programmatically by {@link IngestClient}. Bodies are
 * taken as text and decoded with the shared codec, the one every Tocsin JSON byte goes through.
 */
@Path("/api/v1/alerts")
public interface IngestAlertsApi {

    /**
     * The ack answer's header saying whether the alert had been acknowledged before the request ({@code true}) or
     * this request acknowledged it ({@code false}).
     */
    String ALREADY_ACKNOWLEDGED = AlertHeaders.ALREADY_ACKNOWLEDGED;

    /**
     * 200 with the alert as stored (idempotent: the first acknowledgment wins) and {@value #ALREADY_ACKNOWLEDGED},
     * 404 unknown or not visible, 403 role lacks, 401 token not accepted.
     */
    @POST
    @Path("/{id}/ack")
    Uni<RestResponse<String>> ack(@HeaderParam("Authorization") String authorization, @PathParam("id") String alertId);

    /** 200 {@code {"cleared": n}}, 400 without a criterion, 403 for viewers, 401 token not accepted. */
    @POST
    @Path("/clear")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> clear(@HeaderParam("Authorization") String authorization, ClearCriteria criteria);

    /** 200 with the alert as stored (the first resolution stays), 404, 403, 409 (expired, retracted), 401. */
    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> resolve(@HeaderParam("Authorization") String authorization,
            @PathParam("id") String alertId, String body);

    /** 200 with the alert as stored (unchanged when nobody acknowledged it), 404, 403, 409 (retracted), 401. */
    @DELETE
    @Path("/{id}/ack")
    Uni<RestResponse<String>> unack(@HeaderParam("Authorization") String authorization,
            @PathParam("id") String alertId);

    /** 200 with the alert as stored, 400, 404, 403, 409 (not active), 401. */
    @POST
    @Path("/{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> assign(@HeaderParam("Authorization") String authorization,
            @PathParam("id") String alertId, String body);

    /** 200 with the alert as stored (unchanged when assigned to nobody), 404, 403, 409 (not active), 401. */
    @DELETE
    @Path("/{id}/assignee")
    Uni<RestResponse<String>> unassign(@HeaderParam("Authorization") String authorization,
            @PathParam("id") String alertId);

    /** 201 with the note as stored, 400, 404, 409 (retracted, or at the note limit), 401. */
    @POST
    @Path("/{id}/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> note(@HeaderParam("Authorization") String authorization,
            @PathParam("id") String alertId, String body);
}
