package dev.tocsin.gateway.drain;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while draining, so the load balancer sends new clients to other replicas first. */
@Readiness
@ApplicationScoped
public class DrainingHealthCheck implements HealthCheck {

    private final DrainState state;

    DrainingHealthCheck(DrainState state) {
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("draining").status(!state.draining());
        if (state.draining()) {
            builder.withData("since", state.since().toString());
        }
        return builder.build();
    }
}
