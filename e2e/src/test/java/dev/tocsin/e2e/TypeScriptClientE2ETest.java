package dev.tocsin.e2e;

import dev.tocsin.e2e.harness.ControlServer;
import dev.tocsin.localinfra.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The TypeScript client ({@code clients/typescript}, {@code @tocsin/client}) against the real packaged services: starts
 * the stack, alert-ingest, the gateway and the harness {@link ControlServer}, then runs
 * {@code npm run test:integration} with {@code TOCSIN_HARNESS_URL} pointing at the control server, streams its output
 * here and requires exit 0 within {@link #DEADLINE}. Node 20+ and npm are prerequisites (README): without them this
 * test fails, it does not skip.
 *
 * <p>Manual mode, to run the TypeScript tests by hand against a live harness: {@code -Dtocsin.harness.serve=true}
 * prints {@code TOCSIN_HARNESS_URL=...} and serves until {@code POST /stop}.
 */
class TypeScriptClientE2ETest {

    static final Duration DEADLINE = Duration.ofMinutes(15);

    private static LocalStack stack;
    private static ControlServer harness;
    private static Path clientDir;

    @BeforeAll
    static void startTocsin() throws IOException {
        Path root = Path.of(System.getProperty("tocsin.repo.root", "..")).toAbsolutePath().normalize();
        clientDir = root.resolve("clients/typescript");
        stack = Tocsin.infrastructure("ts-client");
        harness = ControlServer.bind(clientDir).start(stack, Map.of(
                // token expiry is enforced by the heartbeat (a quarter interval): a short interval keeps that test short
                "tocsin.gateway.heartbeat-interval", "4s"));
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
    void theTypeScriptClientPassesItsIntegrationTestsAgainstTheRealServices() throws Exception {
        if (Boolean.getBoolean("tocsin.harness.serve")) {
            System.out.println("Serving the harness until POST " + harness.origin() + "/stop");
            harness.awaitStop().get();
            return;
        }
        String npm = requireNode();
        if (!Files.isDirectory(clientDir.resolve("node_modules"))) {
            assertEquals(0, run(List.of(npm, "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5)),
                    "npm ci in " + clientDir);
        }
        int exit = run(List.of(npm, "run", "test:integration"), DEADLINE);
        assertEquals(0, exit, "npm run test:integration failed (output above; service logs in " + stack.workDir() + ")");
    }

    /** Node 20+ and npm on the PATH, or a failure that says what to install. */
    private static String requireNode() throws Exception {
        String version;
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            node.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            fail("Node.js 20+ is required for the TypeScript client's tests and `node` is not on the PATH (" + e.getMessage()
                    + "). Install Node 20+ and npm (Debian: apt-get install nodejs npm), see README.md, Prerequisites.");
            return null;
        }
        int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
        assertTrue(major >= 20, "Node.js 20+ is required for the TypeScript client's tests; found " + version);
        try {
            Process npm = new ProcessBuilder("npm", "--version").redirectErrorStream(true).start();
            npm.getInputStream().readAllBytes();
            npm.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            fail("npm is required for the TypeScript client's tests and is not on the PATH (" + e.getMessage()
                    + "). Install it with Node 20+ (Debian: apt-get install npm), see README.md, Prerequisites.");
        }
        return "npm";
    }

    /** Runs a command in the client's folder, its output streamed to this test's log; killed after the deadline. */
    private static int run(List<String> command, Duration deadline) throws Exception {
        System.out.println("$ " + String.join(" ", command) + "   (in " + clientDir + ")");
        ProcessBuilder builder = new ProcessBuilder(command).directory(clientDir.toFile()).redirectErrorStream(true);
        builder.environment().put("TOCSIN_HARNESS_URL", harness.origin());
        Process process = builder.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    System.out.println("[ts] " + line);
                }
            } catch (IOException e) {
                // process gone
            }
        }, "ts-output");
        pump.setDaemon(true);
        pump.start();
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            pump.join(5_000);
            fail(String.join(" ", command) + " did not finish within " + deadline);
        }
        pump.join(5_000);
        return process.exitValue();
    }
}
