package dev.tocsin.e2e;

import dev.tocsin.e2e.harness.ControlServer;
import dev.tocsin.e2e.harness.StreamedCommand;
import dev.tocsin.localinfra.LocalStack;

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
 * What the e2e tests that run the TypeScript client's npm test scripts share ({@link TypeScriptClientE2ETest},
 * {@link TypeScriptClientBrowserE2ETest}): the stack, alert-ingest, the gateway and the harness {@link ControlServer}
 * serving {@code clients/typescript}; Node 20+ and npm checked with a message that says what to install; npm commands
 * run in the client's folder with {@code TOCSIN_HARNESS_URL} set, their output streamed to the test's log.
 */
final class TypeScriptClientRun implements AutoCloseable {

    private final LocalStack stack;
    private final ControlServer harness;
    private final Path clientDir;

    private TypeScriptClientRun(LocalStack stack, ControlServer harness, Path clientDir) {
        this.stack = stack;
        this.harness = harness;
        this.clientDir = clientDir;
    }

    /** Starts the stack (work folder {@code e2e/target/<name>-<ms>}), the services and the control server. */
    static TypeScriptClientRun start(String name, Map<String, String> gatewayExtra) throws IOException {
        Path root = Path.of(System.getProperty("tocsin.repo.root", "..")).toAbsolutePath().normalize();
        Path clientDir = root.resolve("clients/typescript");
        LocalStack stack = Tocsin.infrastructure(name);
        try {
            ControlServer harness = ControlServer.bind(clientDir).start(stack, gatewayExtra);
            System.out.println("TOCSIN_HARNESS_URL=" + harness.origin());
            return new TypeScriptClientRun(stack, harness, clientDir);
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    ControlServer harness() {
        return harness;
    }

    LocalStack stack() {
        return stack;
    }

    Path clientDir() {
        return clientDir;
    }

    /**
     * Manual mode ({@code -Dtocsin.harness.serve=true}): serves the harness until {@code POST /stop}, so the TypeScript
     * tests can be run by hand against it; true when it did.
     */
    boolean serveIfAsked() throws Exception {
        if (!Boolean.getBoolean("tocsin.harness.serve")) {
            return false;
        }
        System.out.println("Serving the harness until POST " + harness.origin() + "/stop");
        harness.awaitStop().get();
        return true;
    }

    /** Node 20+ and npm on the PATH and the client's node_modules installed; returns the npm command. */
    String npmReady() throws Exception {
        String npm = requireNode();
        if (!Files.isDirectory(clientDir.resolve("node_modules"))) {
            assertEquals(0, run(List.of(npm, "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5)),
                    "npm ci in " + clientDir);
        }
        return npm;
    }

    /** Node 20+ and npm on the PATH, or a failure that says what to install. */
    static String requireNode() throws Exception {
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
    int run(List<String> command, Duration deadline) throws Exception {
        return run(command, deadline, Map.of());
    }

    /** {@link #run(List, Duration)} with more environment variables. */
    int run(List<String> command, Duration deadline, Map<String, String> environment) throws Exception {
        Map<String, String> all = new HashMap<>(environment);
        all.put("TOCSIN_HARNESS_URL", harness.origin());
        return StreamedCommand.run(clientDir, command, all, "ts", deadline);
    }

    @Override
    public void close() {
        harness.close();
        stack.close();
    }
}
