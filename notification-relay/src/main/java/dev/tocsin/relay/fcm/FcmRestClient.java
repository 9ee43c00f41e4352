package dev.tocsin.relay.fcm;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** FCM HTTP v1 {@code messages:send}. Error statuses come back as a {@link Response} for {@link FcmClient} to classify. */
@Path("/v1/projects/{project}")
interface FcmRestClient {

    @POST
    @Path("/messages:send")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> send(@PathParam("project") String project, @HeaderParam("Authorization") String authorization,
                       Map<String, Object> body);
}
