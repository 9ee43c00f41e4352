package dev.tocsin.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The TypeScript client in headless Chromium against the real packaged services: the same harness as
 * {@link TypeScriptClientE2ETest} ({@link TypeScriptClientRun}), then {@code npm run test:browser}
 * ({@code clients/typescript/test/browser/}: a page served by the control server imports the built library, connects,
 * recovers after a gateway restart, acks, and diagnoses refused handshakes), exit 0 required within {@link #DEADLINE}.
 *
 * <p>Chromium is a prerequisite like Node 20+: Debian's {@code chromium} ({@code /usr/bin/chromium}, which
 * {@code .ci/run} installs) or the executable {@code CHROMIUM_PATH} names. Without it this test fails before the
 * services start; it does not skip. Screenshots of each page end up in {@code clients/typescript/build-browser/artifacts/}.
 */
class TypeScriptClientBrowserE2ETest {

    static final Duration DEADLINE = Duration.ofMinutes(10);

    private static TypeScriptClientRun ts;

    @BeforeAll
    static void startTocsin() throws Exception {
        requireChromium();
        ts = TypeScriptClientRun.start("ts-browser", Map.of());
    }

    @AfterAll
    static void stopTocsin() {
        if (ts != null) {
            ts.close();
        }
    }

    @Test
    void theTypeScriptClientWorksInHeadlessChromiumAgainstTheRealServices() throws Exception {
        if (ts.serveIfAsked()) {
            return;
        }
        String npm = ts.npmReady();
        int exit = ts.run(List.of(npm, "run", "test:browser"), DEADLINE);
        assertEquals(0, exit, "npm run test:browser failed (output above; screenshots in "
                + ts.clientDir().resolve("build-browser/artifacts") + ", service logs in " + ts.stack().workDir() + ")");
    }

    /** Chromium at CHROMIUM_PATH or /usr/bin/chromium that answers --version, or a failure that says what to install. */
    static void requireChromium() throws Exception {
        String configured = System.getenv("CHROMIUM_PATH");
        Path chromium = Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
        if (!Files.isExecutable(chromium)) {
            fail("Chromium is required for the TypeScript client's browser tests and " + chromium + " is not an executable"
                    + (configured == null ? "" : " (from CHROMIUM_PATH)") + ". Install Debian's chromium "
                    + "(apt-get install --no-install-recommends chromium; .ci/run does) or set CHROMIUM_PATH to a "
                    + "Chromium executable; nothing is downloaded. See clients/typescript/README.md, Browser tests.");
        }
        Process version = new ProcessBuilder(chromium.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!version.waitFor(60, TimeUnit.SECONDS) || version.exitValue() != 0) {
            version.destroyForcibly();
            fail("Chromium at " + chromium + " does not run (" + chromium + " --version: " + output + ")");
        }
        System.out.println("chromium: " + output.lines().reduce((first, second) -> second).orElse(output));
    }
}
