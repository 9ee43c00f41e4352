package dev.tocsin.e2e;

import dev.tocsin.e2e.harness.ControlServer;
import dev.tocsin.e2e.harness.StreamedCommand;
import dev.tocsin.localinfra.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The operator console ({@code clients/console}, served by alert-ingest at {@code /console/}) in headless Chromium
 * against the real packaged services: starts the stack, alert-ingest (which serves the console it was packaged with),
 * the gateway (allowing alert-ingest's origin) and the harness {@link ControlServer}, then runs
 * {@code npm run test:browser} in {@code clients/console} with {@code TOCSIN_HARNESS_URL} set, and requires exit 0.
 * Debian's Chromium ({@code /usr/bin/chromium}, or {@code CHROMIUM_PATH}) and Node 20+ are prerequisites: without
 * them this test fails (before the services start) and says what to install; it does not skip. {@code -Dtocsin.console.screenshot=update} also
 * writes {@code docs/images/console.png}.
 */
class ConsoleBrowserE2ETest {

    static final Duration DEADLINE = Duration.ofMinutes(15);

    private static LocalStack stack;
    private static ControlServer harness;
    private static Path consoleDir;

    @BeforeAll
    static void startTocsin() throws Exception {
        // before anything starts: Chromium (Debian's, or CHROMIUM_PATH) answering --version, else a failure saying
        // what to install
        TypeScriptClientBrowserE2ETest.requireChromium();
        Path root = Path.of(System.getProperty("tocsin.repo.root", "..")).toAbsolutePath().normalize();
        consoleDir = root.resolve("clients/console");
        Path packaged = root.resolve("alert-ingest/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(packaged), "alert-ingest is not packaged (" + packaged + "): build it first, "
                + "e.g. ./mvnw -B -pl e2e -am verify -Dtest=ConsoleBrowserE2ETest -Dsurefire.failIfNoSpecifiedTests=false");
        stack = Tocsin.infrastructure("console");
        // a short heartbeat and staleness limit, so the gateway-restart test also sees the stale banner come and go
        harness = ControlServer.bind(root.resolve("clients/typescript")).start(stack,
                Map.of("tocsin.gateway.heartbeat-interval", "3s"),
                Map.of("tocsin.ingest.console.stale-after", "8s"));
        System.out.println("TOCSIN_HARNESS_URL=" + harness.origin());
    }

    @AfterAll
    static void stopTocsin() {
        if (harness != null) {
            harness.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theConsolePassesItsBrowserTestsAgainstTheRealServices() throws Exception {
        requireNode();
        if (!Files.isDirectory(consoleDir.resolve("node_modules"))) {
            assertEquals(0, run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5)), "npm ci in " + consoleDir);
        }
        int exit = run(List.of("npm", "run", "test:browser"), DEADLINE);
        assertEquals(0, exit, "npm run test:browser failed (output above; screenshots in " + consoleDir
                + "/build-browser/artifacts; service logs in " + stack.workDir() + ")");
    }

    private static void requireNode() throws Exception {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            node.waitFor(30, TimeUnit.SECONDS);
            int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
            assertTrue(major >= 20, "Node.js 20+ is required for the console's browser tests; found " + version);
        } catch (IOException e) {
            fail("Node.js 20+ and npm are required for the console's browser tests and `node` is not on the PATH ("
                    + e.getMessage() + "). Debian: apt-get install nodejs npm; see README.md, Prerequisites.");
        }
    }

    private static int run(List<String> command, Duration deadline) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("TOCSIN_HARNESS_URL", harness.origin());
        if ("update".equals(System.getProperty("tocsin.console.screenshot"))) {
            environment.put("TOCSIN_UPDATE_SCREENSHOT", "1");
        }
        return StreamedCommand.run(consoleDir, command, environment, "console", deadline);
    }
}
