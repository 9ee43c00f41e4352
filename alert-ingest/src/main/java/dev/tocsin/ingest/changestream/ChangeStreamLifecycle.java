package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.config.IngestConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts the tailer with the application (under the leader lock) and, on shutdown, stops it after the change in
 * hand, stores its position and releases the lock, so a standby replica takes over at once.
 */
@ApplicationScoped
public class ChangeStreamLifecycle {

    private final TailerLeadership leadership;
    private final IngestConfig config;

    public ChangeStreamLifecycle(TailerLeadership leadership, IngestConfig config) {
        this.leadership = leadership;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.changeStream().enabled()) {
            leadership.start();
        } else {
            Log.warn("change stream tailer disabled (tocsin.ingest.change-stream.enabled=false): no events are published");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        leadership.stop();
    }
}
