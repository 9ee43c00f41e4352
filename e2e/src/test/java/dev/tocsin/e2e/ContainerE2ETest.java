package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.e2e.containers.DockerCli;
import dev.tocsin.e2e.containers.ManifestSpec;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalRedisSentinel;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The three JVM images ({@code deploy/images/build.sh}) run as the Kubernetes manifests run them, read from the
 * rendered prod overlay ({@link ManifestSpec}): the manifests' uid, read-only root filesystem with the same writable
 * mounts as tmpfs, all capabilities dropped, no privilege escalation, the memory and CPU limits, the ConfigMap
 * environment, and the JWT public key mounted read-only where the ConfigMap volume goes. They share the host's network
 * and reach Redis through three sentinels (a master and a replica, password required, as the prod overlay's
 * {@code components/redis-sentinel} runs it) and the embedded MongoDB server, all started by this test on the host.
 * The test checks the three health endpoints of each container, delivers alerts posted to the ingest container to
 * WebSocket clients of the gateway container, and stops the gateway as the kubelet would (the preStop sleep, then
 * SIGTERM with the rest of the termination grace period): its client must be closed with 4000 (drain) and the process
 * must exit by itself within the grace period; the two other services must also stop within theirs.
 *
 * <p>Runs only with {@code -Dtocsin.e2e.containers=true} (so {@code ./mvnw verify} needs no Docker); then a missing
 * Docker engine or image fails the test. Images: {@code [<tocsin.e2e.images.registry or TOCSIN_REGISTRY>/]tocsin/<service>:
 * <tocsin.e2e.images.tag, default the project version>}. Containers are removed afterwards (their logs are kept in
 * {@code e2e/target/containers-<time>/}), also when the JVM is stopped early.
 */
@EnabledIfSystemProperty(named = "tocsin.e2e.containers", matches = "true",
        disabledReason = "container test: enable with -Dtocsin.e2e.containers=true (needs Docker and the images)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerE2ETest {

    private static final Duration DOCKER = Duration.ofSeconds(60);
    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> SERVICES = List.of(LocalStack.INGEST, LocalStack.GATEWAY, LocalStack.RELAY);

    /** One running container: its service, unique name, HTTP port on the host network, and the manifest it follows. */
    private record Container(String service, String name, String image, int port, ManifestSpec spec) {
        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }
    }

    private static LocalStack stack;
    private static final Map<String, Container> containers = new LinkedHashMap<>();
    private static Thread cleanupOnExit;

    @BeforeAll
    static void startContainers() throws IOException {
        DockerCli.Result info = DockerCli.run(Duration.ofSeconds(30), "info", "--format", "{{.ServerVersion}}");
        if (!info.ok()) {
            fail("-Dtocsin.e2e.containers=true, but no Docker engine answers `docker info`: " + info.describe()
                    + "\nInstall and start Docker (deploy/images/README.md), or run without -Dtocsin.e2e.containers=true.");
        }
        Path root = Path.of(System.getProperty("tocsin.repo.root", "..")).toAbsolutePath().normalize();
        String tag = System.getProperty("tocsin.e2e.images.tag", System.getProperty("tocsin.project.version"));
        String registry = System.getProperty("tocsin.e2e.images.registry", System.getenv().getOrDefault("TOCSIN_REGISTRY", ""));
        String prefix = (registry.isBlank() ? "" : registry.replaceAll("/+$", "") + "/") + "tocsin/";
        Map<String, ManifestSpec> specs = ManifestSpec.read(root);
        System.out.println("[containers] Docker " + info.out().strip() + "; manifests from " + specs.values().iterator().next().source());

        // Redis as the prod overlay runs it: a master and a replica behind three sentinels, password required
        stack = Tocsin.infrastructureWithSentinel("containers");
        Path keyDir = Files.createDirectories(stack.workDir().resolve("jwt"));
        Path emptyDir = Files.createDirectories(stack.workDir().resolve("empty"));
        for (Path dir : List.of(stack.workDir(), keyDir, emptyDir)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // readable by uid 185
        }
        cleanupOnExit = new Thread(ContainerE2ETest::removeContainers, "remove-test-containers");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);

        Map<String, Integer> ports = new LinkedHashMap<>();
        SERVICES.forEach(service -> ports.put(service, FreePort.find()));
        String suffix = Long.toString(System.currentTimeMillis(), 36);
        for (String service : SERVICES) {
            String image = prefix + service + ":" + tag;
            DockerCli.Result inspect = DockerCli.run(DOCKER, "image", "inspect", "--format", "{{.Id}}", image);
            if (!inspect.ok()) {
                fail("image " + image + " is missing: build it with deploy/images/build.sh (see deploy/images/README.md): "
                        + inspect.describe());
            }
            ManifestSpec spec = specs.get(service);
            if (spec == null) {
                fail("no Deployment with a container named " + service + " in " + specs.keySet());
            }
            Container container = new Container(service, "tocsin-e2e-" + service + "-" + suffix, image, ports.get(service), spec);
            List<String> args = runArguments(container, ports, keyDir, emptyDir);
            System.out.println("[containers] docker " + String.join(" ", args));
            DockerCli.check(DOCKER, args.toArray(String[]::new));
            containers.put(service, container);
        }
        for (Container container : containers.values()) {
            awaitHealthy(container);
        }
    }

    /** {@code docker run} as the manifest runs the container, on the host network, pointed at this test's stores. */
    private static List<String> runArguments(Container container, Map<String, Integer> ports, Path keyDir, Path emptyDir)
            throws IOException {
        ManifestSpec spec = container.spec();
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", container.name(),
                "--label", "dev.tocsin.e2e=ContainerE2ETest", "--network", "host"));
        assertTrue(spec.runAsUser() > 0, container.service() + ": the manifests run it as a non-root uid");
        args.addAll(List.of("--user", spec.runAsUser() + ":" + spec.runAsGroup()));
        if (spec.readOnlyRootFilesystem()) {
            args.add("--read-only");
        }
        spec.emptyDirs().forEach((path, sizeLimit) -> args.addAll(List.of("--tmpfs",
                path + ":rw,nosuid,nodev,mode=1777" + (sizeLimit.isEmpty() ? "" : ",size=" + ManifestSpec.bytes(sizeLimit)))));
        if (spec.dropAllCapabilities()) {
            args.addAll(List.of("--cap-drop", "ALL"));
        }
        if (spec.noPrivilegeEscalation()) {
            args.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        if (spec.memoryLimit() != null) {
            long bytes = ManifestSpec.bytes(spec.memoryLimit());
            // a pod has no swap: the limit is the whole budget
            args.addAll(List.of("--memory", String.valueOf(bytes), "--memory-swap", String.valueOf(bytes)));
        }
        if (spec.cpuLimit() != null) {
            args.addAll(List.of("--cpus", ManifestSpec.cpus(spec.cpuLimit())));
        }
        for (ManifestSpec.Mount mount : spec.otherMounts()) {
            Path source;
            if (mount.kind().equals("configMap") && mount.objectName().equals("tocsin-jwt-public-key")) {
                String file = mount.items().getOrDefault("publicKey.pem", "publicKey.pem");
                stack.jwt().writePublicKeyPem(keyDir.resolve(file));
                Files.setPosixFilePermissions(keyDir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
                source = keyDir;
            } else if (mount.optional()) {
                source = emptyDir; // an optional ConfigMap/Secret that does not exist: Kubernetes mounts it empty
            } else {
                throw new IllegalStateException(container.service() + " mounts the " + mount.kind() + " "
                        + mount.objectName() + " at " + mount.mountPath() + ": the container test cannot provide it yet");
            }
            // ConfigMap and Secret volumes are always read-only
            args.addAll(List.of("--volume", source + ":" + mount.mountPath() + ":ro"));
        }
        Map<String, String> env = new LinkedHashMap<>(spec.configEnv());
        env.putAll(spec.plainEnv());
        // where this test's stores and services are (the manifests name cluster Services) and who signs the tokens
        env.put("QUARKUS_HTTP_PORT", String.valueOf(container.port()));
        // the overlay's sentinel client (type, master name, role) with this test's sentinels and the password that the
        // Secret tocsin-redis holds in a cluster
        if (!"sentinel".equals(env.get("QUARKUS_REDIS_CLIENT_TYPE"))
                || !LocalRedisSentinel.MASTER_NAME.equals(env.get("QUARKUS_REDIS_MASTER_NAME"))) {
            throw new IllegalStateException(container.service() + ": the prod overlay no longer configures the sentinel "
                    + "client this test provides sentinels for: " + env);
        }
        env.put("QUARKUS_REDIS_HOSTS", stack.sentinel().sentinelHosts());
        env.put("QUARKUS_REDIS_PASSWORD", stack.sentinel().password());
        env.put("MP_JWT_VERIFY_ISSUER", DevJwt.ISSUER);
        if (!container.service().equals(LocalStack.GATEWAY)) {
            env.put("QUARKUS_MONGODB_CONNECTION_STRING", stack.mongoUri()); // the Secret tocsin-mongodb in a cluster
        } else {
            env.put("TOCSIN_GATEWAY_INGEST_URL", "http://127.0.0.1:" + ports.get(LocalStack.INGEST));
        }
        env.forEach((key, value) -> args.addAll(List.of("--env", key + "=" + value)));
        args.add(container.image());
        return args;
    }

    /** Like the startup probe, then liveness and readiness: each endpoint must answer 200. */
    private static void awaitHealthy(Container container) {
        Instant deadline = Instant.now().plus(STARTUP);
        for (String endpoint : List.of("started", "live", "ready")) {
            while (status(container, "/q/health/" + endpoint) != 200) {
                String running = DockerCli.run(DOCKER, "inspect", "--format", "{{.State.Status}} exit={{.State.ExitCode}} "
                        + "oom={{.State.OOMKilled}}", container.name()).out().strip();
                if (!running.startsWith("running") || Instant.now().isAfter(deadline)) {
                    fail(container.service() + " /q/health/" + endpoint + " not 200 (container " + running + "):\n"
                            + logTail(container));
                }
                pause(Duration.ofMillis(250));
            }
        }
    }

    private static String logTail(Container container) {
        DockerCli.Result logs = DockerCli.run(DOCKER, "logs", "--tail", "60", container.name());
        return logs.out() + logs.err();
    }

    @AfterAll
    static void stopAll() {
        try {
            removeContainers();
        } finally {
            if (cleanupOnExit != null) {
                Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
            }
            if (stack != null) {
                stack.close();
            }
        }
    }

    /** Keeps each container's log in the work folder, then removes the container, whatever state it is in. */
    private static synchronized void removeContainers() {
        for (Container container : List.copyOf(containers.values())) {
            DockerCli.Result logs = DockerCli.run(DOCKER, "logs", container.name());
            if (logs.exitCode() == 0 && stack != null) {
                try {
                    Files.writeString(stack.workDir().resolve(container.name() + ".log"), logs.out() + logs.err());
                } catch (IOException e) {
                    // the log is a convenience
                }
            }
            DockerCli.run(DOCKER, "rm", "--force", "--volumes", container.name());
            containers.remove(container.service());
        }
    }

    @Test
    @Order(1)
    void eachContainerRunsHealthyUnderTheManifestsConstraints() {
        for (Container container : containers.values()) {
            ManifestSpec spec = container.spec();
            for (String endpoint : List.of("started", "live", "ready")) {
                assertEquals(200, status(container, "/q/health/" + endpoint), container.service() + " /q/health/" + endpoint);
            }
            String uid = DockerCli.check(DOCKER, "exec", container.name(), "id", "-u");
            assertEquals(String.valueOf(spec.runAsUser()), uid, container.service() + ": process uid");
            String status = DockerCli.check(DOCKER, "exec", container.name(), "cat", "/proc/1/status");
            if (spec.dropAllCapabilities()) {
                assertTrue(status.contains("CapEff:\t0000000000000000"), container.service() + ": no capabilities\n" + status);
            }
            if (spec.noPrivilegeEscalation()) {
                assertTrue(status.contains("NoNewPrivs:\t1"), container.service() + ": no new privileges");
            }
            if (spec.readOnlyRootFilesystem()) {
                assertFalse(DockerCli.run(DOCKER, "exec", container.name(), "touch", "/deployments/probe").ok(),
                        container.service() + ": the root filesystem is read-only");
            }
            for (String path : spec.emptyDirs().keySet()) {
                assertTrue(DockerCli.run(DOCKER, "exec", container.name(), "touch", path + "/probe").ok(),
                        container.service() + ": " + path + " is writable");
            }
            if (spec.memoryLimit() != null) {
                assertEquals(String.valueOf(ManifestSpec.bytes(spec.memoryLimit())),
                        DockerCli.check(DOCKER, "inspect", "--format", "{{.HostConfig.Memory}}", container.name()),
                        container.service() + ": memory limit");
            }
        }
        List<String> stats = new ArrayList<>(List.of("stats", "--no-stream", "--format", "  {{.Name}} {{.MemUsage}}"));
        containers.values().forEach(container -> stats.add(container.name()));
        System.out.println("[containers] memory after startup:\n" + DockerCli.check(DOCKER, stats.toArray(String[]::new)));
    }

    @Test
    @Order(2)
    void alertsPostedToTheIngestContainerReachClientsOfTheGatewayContainer() throws Exception {
        String wsUrl = "ws://127.0.0.1:" + containers.get(LocalStack.GATEWAY).port() + "/ws/alerts";
        try (WsClient header = WsClient.connect(wsUrl, stack.jwt().token("alice", "viewer"), WsClient.TokenTransport.HEADER);
             WsClient query = WsClient.connect(wsUrl, stack.jwt().token("bob", "operator"), WsClient.TokenTransport.QUERY)) {
            for (WsClient client : List.of(header, query)) {
                client.awaitOfType("connection_established", 1, DELIVERY);
            }
            int count = 10;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(postAlert("Container check " + i, i % 2 == 0 ? "critical" : "high"));
            }
            for (WsClient client : List.of(header, query)) {
                List<JsonNode> alerts = client.awaitAlerts(count, DELIVERY);
                assertEquals(count, alerts.size(), "exactly once");
                assertEquals(Set.copyOf(ids), alerts.stream().map(a -> a.get("alertId").asText()).collect(Collectors.toSet()));
            }
        }
    }

    @Test
    @Order(3)
    void sigtermDrainsTheGatewayWithinTheGracePeriod() throws Exception {
        Container gateway = containers.get(LocalStack.GATEWAY);
        ManifestSpec spec = gateway.spec();
        String wsUrl = "ws://127.0.0.1:" + gateway.port() + "/ws/alerts";
        try (WsClient client = WsClient.connect(wsUrl, stack.jwt().token("carol", "viewer"), WsClient.TokenTransport.HEADER)) {
            client.awaitOfType("connection_established", 1, DELIVERY);
            // the kubelet: preStop (sleep) first, SIGTERM after it, SIGKILL when the grace period is over
            Instant terminating = Instant.now();
            pause(Duration.ofSeconds(spec.preStopSleepSeconds()));
            assertFalse(client.isClosed(), "still connected during the preStop sleep");
            long stopTimeout = spec.terminationGracePeriodSeconds() - spec.preStopSleepSeconds();
            Instant sigterm = Instant.now();
            CompletableFuture<DockerCli.Result> stop = CompletableFuture.supplyAsync(() -> DockerCli.run(
                    Duration.ofSeconds(stopTimeout + 30), "stop", "-t", String.valueOf(stopTimeout), gateway.name()));
            Duration grace = Duration.ofSeconds(spec.terminationGracePeriodSeconds());
            await().atMost(grace.plusSeconds(5)).until(client::isClosed);
            Duration closedAfter = Duration.between(terminating, Instant.now());
            assertEquals(4000, client.closeCode(), "drain closes with 4000 (reconnect elsewhere)");
            assertTrue(closedAfter.compareTo(grace) <= 0, "closed after " + closedAfter + ", grace period " + grace);
            DockerCli.Result stopped = stop.join();
            assertTrue(stopped.ok(), stopped.describe());
            Duration exitedAfter = Duration.between(terminating, Instant.now());
            String state = DockerCli.check(DOCKER, "inspect", "--format", "{{.State.ExitCode}} {{.State.OOMKilled}}", gateway.name());
            System.out.println("[containers] gateway: close 4000 after " + closedAfter.toMillis() + " ms (SIGTERM at "
                    + Duration.between(terminating, sigterm).toMillis() + " ms), exit '" + state + "' after "
                    + exitedAfter.toMillis() + " ms, grace " + grace.toSeconds() + " s");
            assertNotEquals("137", state.split(" ")[0], "exited by itself, not killed at the end of the grace period");
            assertEquals("false", state.split(" ")[1], "not killed for memory");
        }
    }

    @Test
    @Order(4)
    void theOtherServicesStopWithinTheirGracePeriodOnSigterm() {
        for (String service : List.of(LocalStack.RELAY, LocalStack.INGEST)) {
            Container container = containers.get(service);
            long grace = container.spec().terminationGracePeriodSeconds();
            Instant sigterm = Instant.now();
            DockerCli.Result stopped = DockerCli.run(Duration.ofSeconds(grace + 30), "stop", "-t", String.valueOf(grace),
                    container.name());
            assertTrue(stopped.ok(), stopped.describe());
            String state = DockerCli.check(DOCKER, "inspect", "--format", "{{.State.ExitCode}} {{.State.OOMKilled}}", container.name());
            System.out.println("[containers] " + service + ": exit '" + state + "' " + Duration.between(sigterm, Instant.now())
                    .toMillis() + " ms after SIGTERM, grace " + grace + " s");
            assertNotEquals("137", state.split(" ")[0], service + " exited by itself within " + grace + " s");
            assertEquals("false", state.split(" ")[1], service + " not killed for memory");
        }
    }

    private static String postAlert(String title, String priority) throws Exception {
        String body = """
                {"priority":"%s","type":"outbreak_risk","title":"%s","message":"River above 5 m","source":"sensor-7"}
                """.formatted(priority, title);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(containers.get(LocalStack.INGEST).baseUrl() + "/api/v1/alerts"))
                        .header("Authorization", "Bearer " + stack.jwt().token("admin", "admin"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return Json.tree(response.body()).get("id").asText();
    }

    private static int status(Container container, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(container.baseUrl() + path)).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // a deadline-bounded poll or the kubelet's preStop sleep
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
