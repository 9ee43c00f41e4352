package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.config.IngestConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Starts the tailer with the application and stops it (after the change in hand) on shutdown. */
@ApplicationScoped
public class ChangeStreamLifecycle {

    private final ChangeStreamTailer tailer;
    private final IngestConfig config;

    public ChangeStreamLifecycle(ChangeStreamTailer tailer, IngestConfig config) {
        this.tailer = tailer;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.changeStream().enabled()) {
            tailer.start();
        } else {
            Log.warn("change stream tailer disabled (tocsin.ingest.change-stream.enabled=false): no events are published");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        tailer.stop();
    }
}
