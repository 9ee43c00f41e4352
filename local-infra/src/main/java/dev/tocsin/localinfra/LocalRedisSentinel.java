package dev.tocsin.localinfra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Redis with Sentinel on free loopback ports: one master, one replica ({@code replicaof}) and three sentinels
 * ({@code redis-server <conf> --sentinel}, quorum 2), nothing persisted. Every node requires one generated password,
 * as in production (deploy/k8s's redis-sentinel component): the data nodes ({@code requirepass}, {@code masterauth})
 * and the sentinels ({@code requirepass}, {@code sentinel auth-pass}), because the services' Redis client sends its
 * one password to the sentinels as well. Failure detection is quick (down after
 * 1 s, failover timeout 5 s) so a test can kill the master and see the replica promoted within seconds.
 * Needs a real {@code redis-server} (PATH or {@code TOCSIN_REDIS_SERVER}); the embedded-redis fallback of
 * {@link LocalRedis} cannot start sentinels.
 */
public final class LocalRedisSentinel implements AutoCloseable {

    /** The monitored master's name ({@code quarkus.redis.master-name}). */
    public static final String MASTER_NAME = "tocsin";

    private static final Duration START = Duration.ofSeconds(30);

    private final String binary;
    private final Path dir;
    private final String password = "sentinel-test-" + java.util.UUID.randomUUID();
    private final List<RedisProcess> data = new ArrayList<>();
    private final List<RedisProcess> sentinels = new ArrayList<>();

    private LocalRedisSentinel(String binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
    }

    /** Starts everything under {@code dir} (configs, logs) and waits until the set is ready to fail over. */
    public static LocalRedisSentinel start(Path dir) {
        LocalRedisSentinel set = new LocalRedisSentinel(RedisProcess.requireBinary("Sentinel"), dir);
        return RedisProcess.startOrClose(set, dir, () -> {
            set.startAll();
            set.awaitReady();
        });
    }

    private void startAll() throws IOException {
        int masterPort = FreePort.find();
        data.add(startData("master", masterPort, List.of()));
        data.add(startData("replica", FreePort.find(), List.of("--replicaof", "127.0.0.1", String.valueOf(masterPort))));
        for (int i = 0; i < 3; i++) {
            int port = FreePort.find();
            Path conf = dir.resolve("sentinel-" + port + ".conf");
            // Sentinel rewrites its config file (state, discovered peers), so each gets its own writable copy.
            Files.writeString(conf, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir.toAbsolutePath(),
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1",
                    "requirepass \"" + password + "\"",
                    "sentinel auth-pass " + MASTER_NAME + " \"" + password + "\"",
                    ""));
            sentinels.add(RedisProcess.launch(dir, "sentinel-" + port, port,
                    List.of(binary, conf.toAbsolutePath().toString(), "--sentinel")));
        }
        for (RedisProcess node : data) {
            FreePort.awaitListening(node.port(), START);
        }
        for (RedisProcess node : sentinels) {
            FreePort.awaitListening(node.port(), START);
        }
    }

    private RedisProcess startData(String role, int port, List<String> extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString(),
                // the replica's first sync starts at once instead of after the default 5 s
                "--repl-diskless-sync-delay", "0", "--requirepass", password, "--masterauth", password));
        command.addAll(extra);
        return RedisProcess.launch(dir, role + "-" + port, port, command);
    }

    /**
     * Ready to fail over: every sentinel names the same master, knows the replica and both other sentinels
     * (a failover needs their votes), and the replica's link to the master is up.
     */
    private void awaitReady() {
        int master = data.get(0).port();
        RedisProcess.await("the sentinel set is ready", START, () -> {
            for (RedisProcess sentinel : sentinels) {
                if (masterPortSeenBy(sentinel.port()) != master
                        || sizeOf(callOrNull(sentinel.port(), "SENTINEL", "replicas", MASTER_NAME)) < 1
                        || sizeOf(callOrNull(sentinel.port(), "SENTINEL", "sentinels", MASTER_NAME)) < sentinels.size() - 1) {
                    return false;
                }
            }
            return replicaInSync();
        });
    }

    /** The master's port as all sentinels name it; -1 while they disagree or cannot answer. */
    public int masterPort() {
        int agreed = -1;
        for (RedisProcess sentinel : sentinels) {
            int port = masterPortSeenBy(sentinel.port());
            if (port < 0 || (agreed >= 0 && port != agreed)) {
                return -1;
            }
            agreed = port;
        }
        return agreed;
    }

    /** Whether the replica of the current master has its link up (it then streams every write). */
    public boolean replicaInSync() {
        for (RedisProcess node : liveData()) {
            try {
                if ("slave".equals(RespCall.infoField(node.port(), password, "replication", "role"))
                        && "up".equals(RespCall.infoField(node.port(), password, "replication", "master_link_status"))) {
                    return true;
                }
            } catch (IOException e) {
                // not answering: not in sync
            }
        }
        return false;
    }

    /** SIGKILLs the current master (no shutdown, no last replication) and returns its port. */
    public int killMaster() {
        int port = masterPort();
        RedisProcess master = data.stream().filter(n -> n.port() == port && n.isAlive()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no live master (sentinels say " + port + ")"));
        master.kill();
        return port;
    }

    /**
     * Waits until every sentinel names a master other than {@code oldPort} and that server says it is a master:
     * the failover is over and clients asking any sentinel are sent to the promoted replica.
     */
    public int awaitFailover(int oldPort, Duration timeout) {
        RedisProcess.await("a failover away from port " + oldPort, timeout, () -> {
            int now = masterPort();
            return now > 0 && now != oldPort && "master".equals(RespCall.infoField(now, password, "replication", "role"));
        });
        return masterPort();
    }

    /** {@code quarkus.redis.hosts} for sentinel mode: the sentinels, not the data nodes. */
    public String sentinelHosts() {
        return sentinels.stream().map(n -> "redis://127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /** What a service needs to reach the master through the sentinels (replaces a single {@code quarkus.redis.hosts}). */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.redis.client-type", "sentinel");
        config.put("quarkus.redis.hosts", sentinelHosts());
        config.put("quarkus.redis.master-name", MASTER_NAME);
        config.put("quarkus.redis.role", "master");
        config.put("quarkus.redis.password", password);
        return config;
    }

    /** The one password every node and sentinel requires. */
    public String password() {
        return password;
    }

    /** One command to the node or sentinel on {@code port}, authenticated. */
    public Object call(int port, String... args) throws IOException {
        return RespCall.callWithPassword(port, password, args);
    }

    public List<Integer> sentinelPorts() {
        return sentinels.stream().map(RedisProcess::port).toList();
    }

    @Override
    public void close() {
        for (RedisProcess node : sentinels) {
            node.kill();
        }
        for (RedisProcess node : data) {
            node.kill();
        }
    }

    private List<RedisProcess> liveData() {
        return data.stream().filter(RedisProcess::isAlive).toList();
    }

    private int masterPortSeenBy(int sentinelPort) {
        try {
            Object reply = RespCall.callWithPassword(sentinelPort, password, "SENTINEL", "get-master-addr-by-name", MASTER_NAME);
            if (reply instanceof List<?> address && address.size() == 2) {
                return Integer.parseInt(String.valueOf(address.get(1)));
            }
        } catch (IOException | NumberFormatException e) {
            // not answering (yet): no opinion
        }
        return -1;
    }

    private Object callOrNull(int port, String... args) {
        try {
            return call(port, args);
        } catch (IOException e) {
            return null;
        }
    }

    private static int sizeOf(Object reply) {
        return reply instanceof List<?> list ? list.size() : 0;
    }
}
