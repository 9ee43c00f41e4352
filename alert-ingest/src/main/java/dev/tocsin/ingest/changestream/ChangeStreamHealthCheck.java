package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the change stream is open: without it, stored alerts would not reach anyone. */
@Readiness
@ApplicationScoped
public class ChangeStreamHealthCheck implements HealthCheck {

    private final ChangeStreamTailer tailer;
    private final IngestConfig config;

    public ChangeStreamHealthCheck(ChangeStreamTailer tailer, IngestConfig config) {
        this.tailer = tailer;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("change-stream");
        if (!config.changeStream().enabled()) {
            return builder.up().withData("enabled", false).build();
        }
        builder.status(tailer.isOpen()).withData("open", tailer.isOpen());
        if (tailer.lastChangeId() != null) {
            builder.withData("lastChangeId", tailer.lastChangeId());
        }
        if (tailer.lastSeq() >= 0) {
            builder.withData("lastSeq", tailer.lastSeq());
        }
        if (tailer.lastPublishedAt() != null) {
            builder.withData("lastPublishedAt", tailer.lastPublishedAt().toString());
        }
        if (tailer.lastError() != null) {
            builder.withData("lastError", tailer.lastError());
        }
        return builder.build();
    }
}
