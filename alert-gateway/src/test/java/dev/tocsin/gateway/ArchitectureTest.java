package dev.tocsin.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import dev.tocsin.gateway.hub.ConnectionShard;
import dev.tocsin.gateway.hub.EventLoopShards;
import dev.tocsin.gateway.socket.SocketWriter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the gateway's structure as designed (docs/architecture.md, "Where does what live"): no package cycles, and
 * every dependency points down the layers below, from the endpoint to the socket. The event's way is broker →
 * pipeline → hub → delivery → socket; the pipeline hands events to the hub through {@code PipelineSink}, which it
 * owns, so it knows nothing of connections, and the hub sees a connection only as a {@code Recipient}.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.tocsin.gateway";

    /** Top to bottom; a package may use the packages of the layers below its own, and those of its own layer. */
    private static final String[][] LAYERS = {
            {"Endpoint", "endpoint"},
            {"Connections", "lifecycle", "inbound", "handshake", "admin", "drain", "heartbeat", "health", "warmup"},
            {"Features", "ack", "recovery", "ratelimit"},
            {"Session", "session"},
            {"Sources", "broker", "records"},
            {"Hub", "hub"},
            {"Pipeline", "pipeline"},
            {"Delivery", "delivery"},
            {"Socket", "socket"},
            {"Base", "config", "metrics", "auth", "stats", "presence", "subscription", "clock"},
    };

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void dependenciesPointDownTheLayers() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String[] layer : LAYERS) {
            layers = layers.layer(layer[0]).definedBy(packages(layer));
        }
        for (int i = 0; i < LAYERS.length; i++) {
            List<String> below = new ArrayList<>();
            for (int j = i + 1; j < LAYERS.length; j++) {
                below.add(LAYERS[j][0]);
            }
            layers = below.isEmpty() ? layers.whereLayer(LAYERS[i][0]).mayNotAccessAnyLayer()
                    : layers.whereLayer(LAYERS[i][0]).mayOnlyAccessLayers(below.toArray(String[]::new));
        }
        layers.check(MAIN);
    }

    @Test
    void everyPackageHasItsPlaceInTheLayers() {
        List<String> all = new ArrayList<>();
        for (String[] layer : LAYERS) {
            all.addAll(Arrays.asList(packages(layer)));
        }
        classes().should().resideInAnyPackage(all.toArray(String[]::new))
                .because("a new package must be given its layer in this test and in docs/architecture.md")
                .check(MAIN);
    }

    @Test
    void onlyTheSocketWriterAndTheShardsReachIntoVertxAndWebSocketInternals() {
        noClasses().that().doNotBelongToAnyOf(SocketWriter.class)
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.vertx.core.http.impl..",
                        "io.quarkus.websockets.next.runtime..")
                .because("writing shared bytes straight to the socket is SocketWriter's one job (SocketWriterTest "
                        + "fails first when a Quarkus upgrade moves what it uses)")
                .check(MAIN);
        noClasses().that().doNotBelongToAnyOf(ConnectionShard.class, EventLoopShards.class)
                .should().dependOnClassesThat().resideInAPackage("io.vertx.core.impl..")
                .because("only the shards run work on an event loop's own context")
                .check(MAIN);
    }

    private static String[] packages(String[] layer) {
        return Arrays.stream(layer).skip(1).map(name -> ROOT + "." + name + "..").toArray(String[]::new);
    }
}
