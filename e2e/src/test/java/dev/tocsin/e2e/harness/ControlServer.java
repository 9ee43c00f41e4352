package dev.tocsin.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test harness's control server: the TypeScript client's integration and browser tests drive the real, packaged
 * services and their faults through it, so no process management is written twice. A JDK {@link HttpServer} on a
 * free loopback port, JSON in and out; the stack (embedded MongoDB, a real redis-server, the dev JWT keys) and the
 * services are the e2e suite's own ({@link LocalStack}, {@link ServiceProcess}).
 *
 * <p>The browser tests' page is served by this server under {@code /static/} (the files of {@code clients/typescript/}),
 * so the page's origin is this server's origin, and the gateway ({@code tocsin.gateway.allowed-origins}) and
 * alert-ingest ({@code tocsin.ingest.cors.origins}) are started allowing exactly it ({@link #origin()}, both as
 * {@code 127.0.0.1} and {@code localhost}).
 *
 * <p>API (all answers JSON; errors {@code {"error": "..."}} with 4xx/5xx):
 * <ul>
 *   <li>{@code GET /info}: {@code gatewayWsUrl, gatewayHttpUrl, ingestUrl, origin, staticUrl, consoleUrl} (the
 *       operator console alert-ingest serves; the gateway allows alert-ingest's origin too)</li>
 *   <li>{@code POST /token {user, groups, ttlSeconds?, issuedAt?}} → {@code {token}} (issuedAt: ISO-8601 or epoch s)</li>
 *   <li>{@code POST /gateway/kill}, {@code /gateway/start} (same port, returns when ready), {@code /ingest/kill},
 *       {@code /ingest/start}, {@code /redis/restart} (stop, start on the same port)</li>
 *   <li>{@code POST /epoch/change} → {@code {previousEpoch}}: the next published event starts a new epoch</li>
 *   <li>{@code POST /ban {user, seconds?}}: the ban the gateway writes after repeated rate-limit violations</li>
 *   <li>{@code POST /proxy} → {@code {id, gatewayWsUrl, gatewayHttpUrl}}: a cuttable path to the gateway for one client;
 *       {@code POST /proxy/cut {id}}, {@code POST /proxy/restore {id}}</li>
 *   <li>{@code POST /stop}: ends a manual session ({@link #awaitStop()})</li>
 *   <li>{@code GET /static/<path>}: a file of {@code clients/typescript/} (not {@code node_modules})</li>
 * </ul>
 */
public final class ControlServer implements AutoCloseable {

    private final HttpServer server;
    private final Path staticRoot;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Map<String, CuttableProxy> proxies = new ConcurrentHashMap<>();
    private final AtomicInteger proxyIds = new AtomicInteger();
    private LocalStack stack;
    private ServiceProcess ingest;
    private ServiceProcess gateway;

    private ControlServer(HttpServer server, Path staticRoot) {
        this.server = server;
        this.staticRoot = staticRoot;
    }

    /** Binds a free loopback port first: the origin it gives the browser page must be known to the services. */
    public static ControlServer bind(Path staticRoot) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        return new ControlServer(server, staticRoot.toAbsolutePath().normalize());
    }

    /** {@code http://127.0.0.1:<port>}: the harness URL and the browser page's origin. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The origins the services must allow for the page served here. */
    public String allowedOrigins() {
        return origin() + ",http://localhost:" + server.getAddress().getPort();
    }

    /** Starts alert-ingest and the gateway on the stack, configured for this server's page, then serves. */
    public ControlServer start(LocalStack stack, Map<String, String> gatewayExtra) {
        return start(stack, gatewayExtra, Map.of());
    }

    /** As {@link #start(LocalStack, Map)}, with more alert-ingest settings (e.g. the console's stale-after). */
    public ControlServer start(LocalStack stack, Map<String, String> gatewayExtra, Map<String, String> ingestExtra) {
        this.stack = stack;
        int ingestPort = FreePort.find();
        int gatewayPort = FreePort.find();
        while (gatewayPort == ingestPort) {
            gatewayPort = FreePort.find();
        }
        // alert-ingest serves the operator console (/console/), whose WebSocket goes to this gateway
        Map<String, String> ingestConfig = new LinkedHashMap<>(ingestExtra);
        ingestConfig.put("tocsin.ingest.cors.origins", allowedOrigins());
        ingestConfig.put("tocsin.ingest.console.gateway-url", "ws://127.0.0.1:" + gatewayPort + "/ws/alerts");
        this.ingest = stack.startService(LocalStack.INGEST, ingestPort, ingestConfig);
        Map<String, String> gatewayConfig = new LinkedHashMap<>(gatewayExtra);
        // this server's test page, and the console on alert-ingest's origin
        gatewayConfig.put("tocsin.gateway.allowed-origins", allowedOrigins() + ",http://127.0.0.1:" + ingestPort
                + ",http://localhost:" + ingestPort);
        this.gateway = stack.startService(LocalStack.GATEWAY, gatewayPort, gatewayConfig);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "harness-control");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    /** Completes when a client posted {@code /stop}. */
    public CompletableFuture<Void> awaitStop() {
        return stopped;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        try {
            if (method.equals("OPTIONS")) {
                respond(exchange, 204, null);
            } else if (method.equals("GET") && path.startsWith("/static/")) {
                serveStatic(exchange, path.substring("/static/".length()));
            } else if (method.equals("GET") && path.equals("/info")) {
                respond(exchange, 200, info());
            } else if (method.equals("POST")) {
                JsonNode body = readBody(exchange);
                if (!path.equals("/token")) { // tokens are asked for all the time; the faults are what a log needs
                    System.out.println("[harness] " + path + (body.isEmpty() ? "" : " " + body));
                }
                respond(exchange, 200, post(path, body));
            } else {
                respond(exchange, 404, Map.of("error", "no such resource: " + method + " " + path));
            }
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, Map.of("error", String.valueOf(e.getMessage())));
        } catch (Exception e) {
            System.out.println("[harness] " + path + " failed: " + e);
            respond(exchange, 500, Map.of("error", e.toString()));
        }
    }

    private Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("gatewayWsUrl", "ws://127.0.0.1:" + gateway.port() + "/ws/alerts");
        info.put("gatewayHttpUrl", "http://127.0.0.1:" + gateway.port());
        info.put("ingestUrl", "http://127.0.0.1:" + ingest.port());
        info.put("origin", origin());
        info.put("staticUrl", origin() + "/static/");
        info.put("consoleUrl", "http://127.0.0.1:" + ingest.port() + "/console/");
        return info;
    }

    private Object post(String path, JsonNode body) throws Exception {
        switch (path) {
            case "/token":
                return Map.of("token", token(body));
            case "/gateway/kill":
                gateway.kill();
                return Map.of("gateway", "killed");
            case "/gateway/start":
                gateway.start().awaitReady(Duration.ofSeconds(60));
                return Map.of("gateway", "ready");
            case "/ingest/kill":
                ingest.kill();
                return Map.of("ingest", "killed");
            case "/ingest/start":
                ingest.start().awaitReady(Duration.ofSeconds(60));
                return Map.of("ingest", "ready");
            case "/redis/restart":
                stack.redis().stop();
                stack.redis().start();
                return Map.of("redis", "restarted");
            case "/epoch/change":
                return changeEpoch();
            case "/ban":
                return ban(body);
            case "/proxy":
                return newProxy();
            case "/proxy/cut":
                proxy(body).cut();
                return Map.of("id", proxy(body).id(), "cut", true);
            case "/proxy/restore":
                proxy(body).restore();
                return Map.of("id", proxy(body).id(), "cut", false);
            case "/stop":
                stopped.complete(null);
                return Map.of("stopping", true);
            default:
                throw new IllegalArgumentException("no such action: " + path);
        }
    }

    private String token(JsonNode body) {
        String user = required(body, "user");
        List<String> groups = new ArrayList<>();
        body.path("groups").forEach(group -> groups.add(group.asText()));
        Instant issuedAt = Instant.now();
        JsonNode iat = body.path("issuedAt");
        if (iat.isNumber()) {
            issuedAt = Instant.ofEpochSecond(iat.asLong());
        } else if (iat.isTextual()) {
            issuedAt = Instant.parse(iat.asText());
        }
        long ttl = body.path("ttlSeconds").asLong(3600);
        return stack.jwt().sign(user, groups, issuedAt, Instant.now().plusSeconds(ttl),
                dev.tocsin.localinfra.DevJwt.ISSUER);
    }

    /**
     * Forces a new epoch the way Redis losing the key does: with {@code <prefix>epoch} (and the history of the old
     * epoch) gone, alert-ingest's publish script gives the next event a fresh epoch (it keeps the counter running, so
     * no position repeats). A client that syncs from the old epoch is then told {@code recovered:false, epoch_changed}.
     */
    private Map<String, Object> changeEpoch() throws IOException {
        RedisKeys keys = RedisKeys.defaults();
        RedisCommands redis = new RedisCommands(stack.redisUri());
        Object previous = redis.call("GET", keys.epoch());
        redis.call("DEL", keys.epoch(), keys.history());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("previousEpoch", previous);
        return answer;
    }

    /** The ban the gateway's rate limit writes ({@code BanStore}): {@code SET <prefix>ban:<user> <until> PX <ms>}. */
    private Map<String, Object> ban(JsonNode body) throws IOException {
        String user = required(body, "user");
        long seconds = body.path("seconds").asLong(900);
        String until = Instant.now().plusSeconds(seconds).toString();
        new RedisCommands(stack.redisUri()).call("SET", RedisKeys.defaults().ban(user), until, "PX",
                Long.toString(seconds * 1000));
        return Map.of("user", user, "until", until, "seconds", seconds);
    }

    private Map<String, Object> newProxy() throws IOException {
        CuttableProxy proxy = new CuttableProxy("p" + proxyIds.incrementAndGet(), gateway.port());
        proxies.put(proxy.id(), proxy);
        return Map.of("id", proxy.id(), "gatewayWsUrl", "ws://127.0.0.1:" + proxy.port() + "/ws/alerts",
                "gatewayHttpUrl", "http://127.0.0.1:" + proxy.port());
    }

    private CuttableProxy proxy(JsonNode body) {
        CuttableProxy proxy = proxies.get(required(body, "id"));
        if (proxy == null) {
            throw new IllegalArgumentException("no such proxy: " + body.path("id").asText());
        }
        return proxy;
    }

    private void serveStatic(HttpExchange exchange, String relative) throws IOException {
        Path file = staticRoot.resolve(relative).normalize();
        if (!file.startsWith(staticRoot) || file.startsWith(staticRoot.resolve("node_modules"))
                || !Files.isRegularFile(file)) {
            respond(exchange, 404, Map.of("error", "no such file: " + relative));
            return;
        }
        String name = file.getFileName().toString();
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".js") || name.endsWith(".mjs") ? "text/javascript; charset=utf-8"
                : name.endsWith(".json") || name.endsWith(".map") ? "application/json"
                : name.endsWith(".css") ? "text/css" : "application/octet-stream";
        byte[] bytes = Files.readAllBytes(file);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String required(JsonNode body, String field) {
        String value = body.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + ": required");
        }
        return value;
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Json.tree(text.isBlank() ? "{}" : text);
        }
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        // The harness is called from Node and from the page it serves (same origin); CORS only for convenience.
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = Json.encode(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        proxies.values().forEach(CuttableProxy::close);
        server.stop(0);
    }
}
