package dev.tocsin.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The TypeScript client ({@code clients/typescript}, {@code @tocsin/client}) against the real packaged services: starts
 * the stack, alert-ingest, the gateway and the harness {@link dev.tocsin.e2e.harness.ControlServer}
 * ({@link TypeScriptClientRun}), then runs {@code npm run test:integration} with {@code TOCSIN_HARNESS_URL} pointing at
 * the control server, streams its output here and requires exit 0 within {@link #DEADLINE}. Node 20+ and npm are
 * prerequisites (README): without them this test fails, it does not skip.
 *
 * <p>Manual mode, to run the TypeScript tests by hand against a live harness: {@code -Dtocsin.harness.serve=true}
 * prints {@code TOCSIN_HARNESS_URL=...} and serves until {@code POST /stop}.
 */
class TypeScriptClientE2ETest {

    static final Duration DEADLINE = Duration.ofMinutes(15);

    private static TypeScriptClientRun ts;

    @BeforeAll
    static void startTocsin() throws IOException {
        ts = TypeScriptClientRun.start("ts-client", Map.of(
                // token expiry is enforced by the heartbeat (a quarter interval): a short interval keeps that test short
                "tocsin.gateway.heartbeat-interval", "4s"));
    }

    @AfterAll
    static void stopTocsin() {
        if (ts != null) {
            ts.close();
        }
    }

    @Test
    void theTypeScriptClientPassesItsIntegrationTestsAgainstTheRealServices() throws Exception {
        if (ts.serveIfAsked()) {
            return;
        }
        String npm = ts.npmReady();
        int exit = ts.run(List.of(npm, "run", "test:integration"), DEADLINE);
        assertEquals(0, exit, "npm run test:integration failed (output above; service logs in " + ts.stack().workDir() + ")");
    }
}
