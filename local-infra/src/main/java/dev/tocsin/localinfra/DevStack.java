package dev.tocsin.localinfra;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * The local run: {@code ./run-local.sh} (or {@code java -jar local-infra/target/local-infra.jar}) starts MongoDB
 * and Redis (embedded, unless {@code TOCSIN_MONGODB_URI} / {@code TOCSIN_REDIS_URI} name real ones), generates a
 * dev key pair, starts the three services and prints what to do next. {@code watch <token>} prints the alerts
 * arriving on a WebSocket; {@code footprint [runs]} measures each service's startup time and memory, from its jar and its
 * native executable ({@link StartupFootprint}). Dev keys and tokens exist only here; nothing is written outside {@code .tocsin-dev/}.
 */
public final class DevStack {

    private DevStack() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("watch")) {
            watch(args.length >= 2 ? args[1] : System.getenv("TOCSIN_TOKEN"),
                    env("TOCSIN_GATEWAY_URL", "ws://127.0.0.1:8080/ws/alerts"));
            return;
        }
        if (args.length >= 1 && args[0].equals("footprint")) {
            StartupFootprint.run(args.length >= 2 ? Integer.parseInt(args[1]) : 3);
            return;
        }
        run();
    }

    private static void run() throws InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        Path work = root.resolve(".tocsin-dev");
        int gatewayPort = Integer.parseInt(env("TOCSIN_GATEWAY_PORT", "8080"));
        int ingestPort = Integer.parseInt(env("TOCSIN_INGEST_PORT", "8081"));
        int relayPort = Integer.parseInt(env("TOCSIN_RELAY_PORT", "8082"));

        System.out.println("Starting Tocsin locally (logs in " + work + ") ...");
        LocalStack stack = LocalStack.infrastructure(root, work, System.getenv("TOCSIN_MONGODB_URI"),
                System.getenv("TOCSIN_REDIS_URI"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Tocsin ...");
            stack.close();
            stopped.countDown();
        }, "tocsin-dev-shutdown"));

        // The operator console is served by alert-ingest at /console/: it calls the REST API on its own origin and opens
        // the WebSocket to the gateway, which must allow alert-ingest's origin. Push messages link to /alerts/{id} on
        // alert-ingest, which redirects to the console.
        String ingestOrigins = "http://127.0.0.1:" + ingestPort + ",http://localhost:" + ingestPort;
        String ws = "ws://127.0.0.1:" + gatewayPort + "/ws/alerts";
        stack.startService(LocalStack.INGEST, ingestPort, Map.of(
                // pages served on the gateway's port may call the REST API too (as before the console existed)
                "tocsin.ingest.cors.origins", "http://localhost:" + gatewayPort + ",http://127.0.0.1:" + gatewayPort,
                "tocsin.ingest.console.gateway-url", ws));
        stack.startService(LocalStack.GATEWAY, gatewayPort, Map.of("tocsin.gateway.allowed-origins", ingestOrigins));
        stack.startService(LocalStack.RELAY, relayPort, Map.of(
                "tocsin.relay.alert-url-template", "http://127.0.0.1:" + ingestPort + "/alerts/{id}"));

        Duration ttl = Duration.ofHours(12);
        String admin = stack.jwt().token("admin", List.of("admin"), ttl);
        String viewer = stack.jwt().token("alice", List.of("viewer", "oncall"), ttl);
        String ingest = "http://127.0.0.1:" + ingestPort;
        System.out.println("""

                Tocsin is running (Ctrl-C stops everything).

                  alert-ingest        %s      (REST API /api/v1, health /q/health, metrics /q/metrics)
                  alert-gateway       %s   (WebSocket /ws/alerts)
                  notification-relay  http://127.0.0.1:%d
                  MongoDB             %s
                  Redis               %s

                Dev tokens (valid 12 h, signed with a key generated for this run only):
                  TOCSIN_ADMIN=%s
                  TOCSIN_VIEWER=%s

                Operator console (open in a browser; the #token=... fragment signs you in and never reaches a
                server: the page moves it to this tab's session storage and removes it from the address bar):
                  as alice (viewer):  %s/console/#token=%s
                  as admin:           %s/console/#token=%s

                Watch alerts arrive on a WebSocket (in another terminal):
                  java -jar local-infra/target/local-infra.jar watch $TOCSIN_VIEWER
                or in the browser's developer console on the console's tab (the gateway accepts browsers from that origin):
                  new WebSocket("%s?access_token=" + token).onmessage = e => console.log(e.data)

                Post an alert:
                  curl -s -X POST %s/api/v1/alerts -H "Authorization: Bearer $TOCSIN_ADMIN" \\
                    -H 'Content-Type: application/json' \\
                    -d '{"priority":"high","type":"outbreak_risk","title":"Flood risk","message":"River above 5 m","source":"sensor-7"}'
                """.formatted(ingest, ws, relayPort, stack.mongoUri(), stack.redisUri(), admin, viewer, ingest, viewer, ingest,
                        admin, ws, ingest));
        stopped.await();
    }

    /**
     * Connects with a token and prints every frame until the connection closes or Ctrl-C. Like a browser it sends
     * nothing: the JDK client answers the gateway's WebSocket ping frames with pong frames by itself, which is all the
     * heartbeat asks for (the JSON {@code ping} it prints is informational).
     */
    private static void watch(String token, String url) throws Exception {
        if (token == null || token.isBlank()) {
            System.err.println("usage: watch <token>   (or set TOCSIN_TOKEN)");
            System.exit(2);
        }
        CountDownLatch closed = new CountDownLatch(1);
        HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder frame = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        frame.append(data);
                        if (last) {
                            System.out.println(frame);
                            frame.setLength(0);
                        }
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                        System.out.println("closed: " + status + " " + reason);
                        closed.countDown();
                        return null;
                    }

                    @Override
                    public void onError(WebSocket socket, Throwable error) {
                        System.out.println("error: " + error.getMessage());
                        closed.countDown();
                    }
                }).join();
        closed.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
