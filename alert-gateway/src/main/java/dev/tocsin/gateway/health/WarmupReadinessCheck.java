package dev.tocsin.gateway.health;

import dev.tocsin.gateway.warmup.BootWarmup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the boot warm-up ended, so that a load balancer sends the first clients to compiled code
 * ({@link BootWarmup}); it ends by itself within {@code tocsin.gateway.warmup.timeout}.
 */
@Readiness
@ApplicationScoped
public class WarmupReadinessCheck implements HealthCheck {

    private final BootWarmup warmup;

    WarmupReadinessCheck(BootWarmup warmup) {
        this.warmup = warmup;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("boot-warmup")
                .status(warmup.done())
                .withData("operations", warmup.performed())
                .build();
    }
}
