package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.leader.LeaderElection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the change stream is open on the replica that should publish (the leader, or a replica that has
 * not learned of another leader): without it, stored alerts would not reach anyone. A standby (another replica
 * holds the leader lock) is ready: it serves REST and takes over when the leader goes.
 */
@Readiness
@ApplicationScoped
public class ChangeStreamHealthCheck implements HealthCheck {

    private final TailerStatus status;
    private final TailerLeadership leadership;
    private final IngestConfig config;

    public ChangeStreamHealthCheck(TailerStatus status, TailerLeadership leadership, IngestConfig config) {
        this.status = status;
        this.leadership = leadership;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("change-stream");
        if (!config.changeStream().enabled()) {
            return builder.up().withData("enabled", false).build();
        }
        LeaderElection.Role role = leadership.role();
        builder.withData("role", role.name().toLowerCase(java.util.Locale.ROOT));
        builder.status(role == LeaderElection.Role.STANDBY || status.isOpen()).withData("open", status.isOpen());
        if (status.lastChangeId() != null) {
            builder.withData("lastChangeId", status.lastChangeId());
        }
        if (status.epoch() != null) {
            builder.withData("epoch", status.epoch());
        }
        if (status.lastSeq() >= 0) {
            builder.withData("lastSeq", status.lastSeq());
        }
        if (status.lastPublishedAt() != null) {
            builder.withData("lastPublishedAt", status.lastPublishedAt().toString());
        }
        if (status.lastError() != null) {
            builder.withData("lastError", status.lastError());
        }
        return builder.build();
    }
}
