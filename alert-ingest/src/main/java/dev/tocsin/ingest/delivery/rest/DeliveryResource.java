package dev.tocsin.ingest.delivery.rest;

import dev.tocsin.ingest.alert.service.AlertService;
import dev.tocsin.ingest.common.openapi.ProblemResponses;
import dev.tocsin.ingest.common.problem.NotFoundProblemException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.delivery.repository.DeliveryRepository;
import dev.tocsin.protocol.auth.Roles;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Who was reached for an alert, how and with what outcome (records stored from the command stream). */
@Path("/api/v1/alerts/{id}/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "deliveries")
@APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
public class DeliveryResource {

    private final AlertService alerts;
    private final DeliveryRepository deliveries;
    private final IngestConfig config;
    private final JsonWebToken token;

    public DeliveryResource(AlertService alerts, DeliveryRepository deliveries, IngestConfig config, JsonWebToken token) {
        this.alerts = alerts;
        this.deliveries = deliveries;
        this.config = config;
        this.token = token;
    }

    /** 404 when the alert does not exist or the operator may not see it. */
    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Who was reached for an alert, how and with what outcome, newest first (operator, admin)")
    @APIResponse(responseCode = "200", description = "The alert's delivery records")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public DeliveryList list(@PathParam("id") String id) {
        if (alerts.find(id, Caller.of(token)).isEmpty()) {
            throw new NotFoundProblemException("no alert with this id");
        }
        return new DeliveryList(id, deliveries.forAlert(id, config.api().maxDeliveries()));
    }

    /** The records of one alert, newest first. */
    @RegisterForReflection
    public record DeliveryList(String alertId, List<DeliveryRecord> items) {
    }
}
