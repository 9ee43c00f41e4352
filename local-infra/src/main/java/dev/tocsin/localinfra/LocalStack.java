package dev.tocsin.localinfra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole of Tocsin on one machine: MongoDB and Redis (embedded/started here unless URIs are given), a freshly
 * generated JWT key pair, and the three packaged services as processes. Used by the end-to-end tests and by the
 * local run ({@link DevStack}).
 */
public final class LocalStack implements AutoCloseable {

    public static final String INGEST = "alert-ingest";
    public static final String GATEWAY = "alert-gateway";
    public static final String RELAY = "notification-relay";

    private final Path repoRoot;
    private final Path workDir;
    private final EmbeddedMongo mongo;
    private final LocalRedis redis;
    private final String mongoUri;
    private final String redisUri;
    private final DevJwt jwt;
    private final Path publicKey;
    private final List<ServiceProcess> services = new ArrayList<>();
    private volatile String ingestUrl;

    private LocalStack(Path repoRoot, Path workDir, String mongoUri, String redisUri) {
        this.repoRoot = repoRoot;
        this.workDir = workDir;
        this.mongo = mongoUri == null ? EmbeddedMongo.start() : null;
        this.redis = redisUri == null ? LocalRedis.startOnFreePort() : null;
        this.mongoUri = mongoUri == null ? mongo.connectionString() : mongoUri;
        this.redisUri = redisUri == null ? redis.uri() : redisUri;
        this.jwt = DevJwt.generate();
        this.publicKey = jwt.writePublicKeyPem(workDir.resolve("jwt-public.pem"));
    }

    /**
     * Starts MongoDB and Redis (or uses the given URIs when not null) and generates the keys; services are
     * started separately with {@link #startService}.
     */
    public static LocalStack infrastructure(Path repoRoot, Path workDir, String mongoUri, String redisUri) {
        return new LocalStack(repoRoot, workDir, mongoUri, redisUri);
    }

    /** Starts one service on the given port with the stack's configuration plus {@code extra}, and waits for readiness. */
    public ServiceProcess startService(String module, int port, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(configFor(module));
        config.putAll(extra);
        String name = module + "-" + port;
        ServiceProcess service = new ServiceProcess(name, ServiceBinary.of(repoRoot, module), port, config,
                workDir.resolve(name + ".log"));
        services.add(service);
        service.start().awaitReady(Duration.ofSeconds(90));
        if (module.equals(INGEST) && ingestUrl == null) {
            ingestUrl = service.baseUrl();
        }
        return service;
    }

    /** What every service needs to find the infrastructure and verify tokens. */
    public Map<String, String> configFor(String module) {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.redis.hosts", redisUri);
        config.put("mp.jwt.verify.publickey.location", publicKey.toUri().toString());
        config.put("mp.jwt.verify.issuer", DevJwt.ISSUER);
        if (!module.equals(GATEWAY)) {
            config.put("quarkus.mongodb.connection-string", mongoUri);
        }
        if (module.equals(GATEWAY) && ingestUrl != null) {
            // acks and clears are handed to alert-ingest's REST API with the user's own token
            config.put("tocsin.gateway.ingest-url", ingestUrl);
        }
        return config;
    }

    public DevJwt jwt() {
        return jwt;
    }

    public LocalRedis redis() {
        return redis;
    }

    public String mongoUri() {
        return mongoUri;
    }

    public String redisUri() {
        return redisUri;
    }

    public Path workDir() {
        return workDir;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop(Duration.ofSeconds(20));
        }
        if (redis != null) {
            redis.stop();
        }
        if (mongo != null) {
            mongo.close();
        }
    }
}
