package dev.tocsin.gateway.admin;

import dev.tocsin.gateway.drain.GatewayDrain;
import dev.tocsin.protocol.auth.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Operator endpoints of one gateway replica (role {@code admin}): its stats and a graceful drain. */
@Path("/api/v1")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final GatewayStats stats;
    private final GatewayDrain drain;

    AdminResource(GatewayStats stats, GatewayDrain drain) {
        this.stats = stats;
        this.drain = drain;
    }

    /** A summary of this replica: connections, delivery counters, offline-queue work and the Redis position. */
    @GET
    @Path("/stats")
    public GatewayStats.Summary stats() {
        return stats.summary();
    }

    /**
     * Starts the graceful drain (as on shutdown, e.g. from a preStop hook): 202 at once; the connections are closed
     * in the background within {@code tocsin.gateway.drain-timeout}.
     */
    @POST
    @Path("/admin/drain")
    public Uni<Response> drain() {
        drain.drain().subscribe().with(ignored -> { }, ignored -> { });
        return Uni.createFrom().item(Response.accepted(Map.of("draining", true)).build());
    }
}
