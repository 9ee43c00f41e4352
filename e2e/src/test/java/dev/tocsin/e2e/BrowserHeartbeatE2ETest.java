package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that never answer the JSON {@code ping} stay connected: the README's {@code watch} command (run as the
 * README says, as a process) and a browser-like client (the JDK's WebSocket, token in the query as the README's
 * browser snippet has it, never sending a message; like a browser, its library answers ping frames by itself). The
 * gateway runs with a 400 ms heartbeat, so 120 intervals, an hour at the default 30 s, pass in 48 s; then an alert
 * posted over REST still reaches both.
 */
class BrowserHeartbeatE2ETest {

    private static final long INTERVAL = 400;
    /** An hour of the default 30 s interval. */
    private static final int INTERVALS = 120;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LocalStack stack;
    private static ServiceProcess ingest;
    private static ServiceProcess gateway;
    private static Path repoRoot;

    @BeforeAll
    static void startTocsin() {
        repoRoot = Path.of(System.getProperty("tocsin.repo.root", "..")).toAbsolutePath().normalize();
        stack = Tocsin.infrastructure("browser-heartbeat");
        ingest = stack.startService(LocalStack.INGEST, FreePort.find(), Map.of());
        gateway = stack.startService(LocalStack.GATEWAY, FreePort.find(),
                Map.of("tocsin.gateway.heartbeat-interval", INTERVAL + "ms",
                        // every close with its code in the log, should a client be closed
                        "quarkus.log.category.\"dev.tocsin.gateway.session\".level", "DEBUG"));
    }

    @AfterAll
    static void stopTocsin() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theWatchCommandAndABrowserLikeClientStayConnectedForAnHourOfHeartbeats() throws Exception {
        String wsUrl = "ws://127.0.0.1:" + gateway.port() + "/ws/alerts";
        Path watchOutput = stack.workDir().resolve("watch.out");
        // At this short interval a client (or the gateway) starved of CPU for more than one interval would miss a
        // pong, so the busiest moments come first, before the clients under test connect: a first alert through
        // ingest, the change stream and the gateway's delivery, and the watch JVM's own start-up.
        try (WsClient warmUp = WsClient.connect(wsUrl, stack.jwt().token("carol", "viewer"),
                WsClient.TokenTransport.HEADER)) {
            String first = postAlert();
            assertEquals(first, warmUp.awaitAlerts(1, WAIT).get(0).path("alertId").asText());
        }
        Process watch = startWatch(stack.jwt().token("alice", "viewer"), wsUrl, watchOutput);
        try (WsClient browser = connectAfterWatchSettled(wsUrl, watchOutput)) {
            JsonNode hello = browser.awaitOfType("connection_established", 1, WAIT).get(0);
            assertEquals(INTERVAL, hello.path("heartbeatIntervalMs").asLong());

            // One informational ping per interval reaches each client; neither answers any of them.
            Duration intervals = Duration.ofMillis(INTERVAL * INTERVALS).plus(WAIT);
            browser.awaitOfType("ping", INTERVALS, intervals);
            await().atMost(WAIT).until(() -> watchFrames(watchOutput, "ping") >= INTERVALS);
            assertFalse(browser.isClosed(), "the browser-like client was closed: " + browser.closeCode());
            assertTrue(watch.isAlive(), "watch ended:\n" + tail(watchOutput));
            assertFalse(Files.readString(watchOutput).contains("closed:"), tail(watchOutput));

            String id = postAlert();
            JsonNode alert = browser.awaitAlerts(1, WAIT).get(0);
            assertEquals(id, alert.path("alertId").asText());
            await().atMost(WAIT).until(() -> Files.readAllLines(watchOutput).stream()
                    .anyMatch(line -> line.contains("\"alertId\":\"" + id + "\"")));
            assertFalse(browser.isClosed());
            assertTrue(watch.isAlive(), "watch ended:\n" + tail(watchOutput));
        } finally {
            watch.destroy();
            if (!watch.waitFor(10, TimeUnit.SECONDS)) {
                watch.destroyForcibly().waitFor();
            }
        }
    }

    /** The browser-like client (token in the query), once the watch process is connected and past its start-up. */
    private static WsClient connectAfterWatchSettled(String wsUrl, Path watchOutput) {
        await().atMost(WAIT).until(() -> watchFrames(watchOutput, "ping") >= 3);
        return WsClient.connect(wsUrl, stack.jwt().token("bob", "viewer"), WsClient.TokenTransport.QUERY);
    }

    /** {@code java -jar local-infra/target/local-infra.jar watch <token>}, pointed at this gateway. */
    private static Process startWatch(String token, String wsUrl, Path output) throws IOException {
        Path jar = repoRoot.resolve("local-infra/target/local-infra.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: build local-infra first");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "watch", token)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("TOCSIN_GATEWAY_URL", wsUrl);
        return builder.start();
    }

    /** Frames of one type that {@code watch} printed (one JSON frame per line). */
    private static long watchFrames(Path output, String type) {
        return lines(output).stream().filter(line -> line.startsWith("{"))
                .filter(line -> type.equals(Json.tree(line).path("type").asText())).count();
    }

    private static List<String> lines(Path output) {
        try {
            return Files.readAllLines(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path output) {
        List<String> all = lines(output);
        return String.join("\n", all.subList(Math.max(0, all.size() - 10), all.size()));
    }

    private static String postAlert() throws Exception {
        HttpResponse<String> response = Tocsin.call(stack, ingest, "POST", "/api/v1/alerts", "admin", "admin", """
                {"priority":"high","type":"outbreak_risk","title":"Flood risk","message":"River above 5 m",
                 "source":"sensor-7"}
                """);
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }
}
