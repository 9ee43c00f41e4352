package dev.tocsin.ingest.command;

import dev.tocsin.ingest.config.IngestConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Starts the command consumer with the application and stops it on shutdown. */
@ApplicationScoped
public class CommandConsumerLifecycle {

    private final CommandConsumer consumer;
    private final IngestConfig config;

    public CommandConsumerLifecycle(CommandConsumer consumer, IngestConfig config) {
        this.consumer = consumer;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.commands().enabled()) {
            consumer.start();
        } else {
            Log.warn("command consumer disabled (tocsin.ingest.commands.enabled=false): delivery records and token "
                    + "removals are not stored by this replica");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        consumer.stop();
    }
}
