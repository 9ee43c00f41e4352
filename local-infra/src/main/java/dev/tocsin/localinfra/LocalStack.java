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
    private final LocalRedisSentinel sentinel;
    private final LocalRedisCluster cluster;
    private final String mongoUri;
    private final String redisUri;
    private final DevJwt jwt;
    private final Path publicKey;
    private final List<ServiceProcess> services = new ArrayList<>();
    private volatile String ingestUrl;

    /** How the stack's Redis is deployed. */
    private enum Topology { SINGLE, SENTINEL, CLUSTER }

    private LocalStack(Path repoRoot, Path workDir, String mongoUri, String redisUri, Topology topology) {
        this.repoRoot = repoRoot;
        this.workDir = workDir;
        this.mongo = mongoUri == null ? EmbeddedMongo.start() : null;
        this.sentinel = topology == Topology.SENTINEL ? LocalRedisSentinel.start(workDir.resolve("redis-sentinel")) : null;
        this.cluster = topology == Topology.CLUSTER ? LocalRedisCluster.start(workDir.resolve("redis-cluster")) : null;
        this.redis = redisUri == null && topology == Topology.SINGLE ? LocalRedis.startOnFreePort() : null;
        this.mongoUri = mongoUri == null ? mongo.connectionString() : mongoUri;
        this.redisUri = switch (topology) {
            case SENTINEL -> sentinel.sentinelHosts();
            case CLUSTER -> cluster.hosts();
            case SINGLE -> redisUri == null ? redis.uri() : redisUri;
        };
        this.jwt = DevJwt.generate();
        this.publicKey = jwt.writePublicKeyPem(workDir.resolve("jwt-public.pem"));
    }

    /**
     * Starts MongoDB and Redis (or uses the given URIs when not null) and generates the keys; services are
     * started separately with {@link #startService}.
     */
    public static LocalStack infrastructure(Path repoRoot, Path workDir, String mongoUri, String redisUri) {
        return new LocalStack(repoRoot, workDir, mongoUri, redisUri, Topology.SINGLE);
    }

    /**
     * Like {@link #infrastructure} with a local MongoDB, but Redis is a master, a replica and three sentinels
     * ({@link LocalRedisSentinel}), and every service is configured to find the master through the sentinels.
     */
    public static LocalStack infrastructureWithSentinel(Path repoRoot, Path workDir) {
        return new LocalStack(repoRoot, workDir, null, null, Topology.SENTINEL);
    }

    /**
     * Like {@link #infrastructure} with a local MongoDB, but Redis is a three-master cluster with a replica per master
     * ({@link LocalRedisCluster}); every service runs in cluster mode with the hash-tagged key prefix.
     */
    public static LocalStack infrastructureWithCluster(Path repoRoot, Path workDir) {
        return new LocalStack(repoRoot, workDir, null, null, Topology.CLUSTER);
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
        if (sentinel != null) {
            config.putAll(sentinel.quarkusConfig());
        } else if (cluster != null) {
            config.putAll(cluster.quarkusConfig());
            config.put(switch (module) {
                case INGEST -> "tocsin.ingest.redis.key-prefix";
                case GATEWAY -> "tocsin.gateway.key-prefix";
                case RELAY -> "tocsin.relay.key-prefix";
                default -> throw new IllegalArgumentException("unknown module " + module);
            }, LocalRedisCluster.KEY_PREFIX);
        } else {
            config.put("quarkus.redis.hosts", redisUri);
        }
        config.put("mp.jwt.verify.publickey.location", publicKey.toUri().toString());
        config.put("mp.jwt.verify.issuer", DevJwt.ISSUER);
        if (!module.equals(GATEWAY)) {
            config.put("quarkus.mongodb.connection-string", mongoUri);
        }
        if (module.equals(GATEWAY)) {
            // The boot warm-up's path runs on every start, but short: its default (10,000 handshakes' work, seconds of
            // CPU) is for production pods, and the tests start dozens of gateways on two cores.
            config.put("tocsin.gateway.warmup.operations", "200");
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

    /** The sentinel set when the stack was started {@link #infrastructureWithSentinel with Sentinel}, else null. */
    public LocalRedisSentinel sentinel() {
        return sentinel;
    }

    /** The cluster when the stack was started {@link #infrastructureWithCluster with Redis Cluster}, else null. */
    public LocalRedisCluster cluster() {
        return cluster;
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
        if (sentinel != null) {
            sentinel.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (mongo != null) {
            mongo.close();
        }
    }
}
