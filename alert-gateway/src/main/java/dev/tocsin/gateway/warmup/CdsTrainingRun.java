package dev.tocsin.gateway.warmup;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The run that makes the class-data-sharing archive (Dockerfile.jvm, the load tool): started with
 * {@code -Dtocsin.cds-training=true} under {@code -XX:ArchiveClassesAtExit}, the gateway exits as soon as it has
 * started, and the JVM writes the classes it loaded. Quarkus' own switch for this ({@code quarkus.appcds.generate})
 * exists only when the build makes an archive itself, which is useless here: the JVM refuses an archive for a jar at
 * another path or with another modification time, as in the image or the load tool's copy.
 */
@ApplicationScoped
public class CdsTrainingRun {

    static final String PROPERTY = "tocsin.cds-training";

    void onStart(@Observes StartupEvent event) {
        if (Boolean.getBoolean(PROPERTY)) {
            Log.info("Class-data-sharing training run: started, exiting so that the JVM writes its archive");
            Quarkus.asyncExit();
        }
    }
}
