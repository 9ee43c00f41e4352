package dev.tocsin.localinfra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster on free loopback ports: three masters with one replica each, created with
 * {@code redis-cli --cluster create}, nothing persisted, every node requiring one generated password. Failure
 * detection is quick ({@code cluster-node-timeout} 1 s) so a test can kill the master that holds Tocsin's keys and
 * see its replica promoted within seconds. Needs {@code redis-server} and {@code redis-cli} (PATH or
 * {@code TOCSIN_REDIS_SERVER}, with redis-cli beside it).
 */
public final class LocalRedisCluster implements AutoCloseable {

    /**
     * The key prefix every service uses on this cluster: the hash tag {@code {tocsin}} puts every Tocsin key in one
     * slot, so the scripts and transactions that touch several keys stay on one node.
     */
    public static final String KEY_PREFIX = "{tocsin}:";

    private static final Duration START = Duration.ofSeconds(60);
    private static final int MASTERS = 3;

    private final String binary;
    private final Path dir;
    private final String password = "cluster-test-" + UUID.randomUUID();
    private final List<RedisProcess> nodes = new ArrayList<>();

    private LocalRedisCluster(String binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
    }

    /** Starts six nodes under {@code dir}, joins them into a cluster and waits until every slot is served. */
    public static LocalRedisCluster start(Path dir) {
        LocalRedisCluster cluster = new LocalRedisCluster(RedisProcess.requireBinary("Redis Cluster"), dir);
        return RedisProcess.startOrClose(cluster, dir, () -> {
            cluster.startNodes();
            cluster.create();
            cluster.awaitHealthy(START);
        });
    }

    private void startNodes() throws IOException {
        for (int i = 0; i < MASTERS * 2; i++) {
            int port = FreePort.find();
            nodes.add(RedisProcess.launch(dir, "cluster-" + port, port, List.of(binary,
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toAbsolutePath().toString(),
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                    "--cluster-node-timeout", "1000", "--save", "", "--appendonly", "no",
                    "--repl-diskless-sync-delay", "0", "--requirepass", password, "--masterauth", password)));
        }
        for (RedisProcess node : nodes) {
            FreePort.awaitListening(node.port(), START);
        }
    }

    private void create() throws IOException {
        List<String> command = new ArrayList<>(List.of(redisCli(), "--no-auth-warning", "-a", password,
                "--cluster", "create"));
        for (RedisProcess node : nodes) {
            command.add("127.0.0.1:" + node.port());
        }
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Path log = dir.resolve("cluster-create.log");
        Process create = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!create.waitFor(START.toSeconds(), TimeUnit.SECONDS) || create.exitValue() != 0) {
                create.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String redisCli() {
        Path cli = Path.of(binary).resolveSibling("redis-cli");
        if (!Files.isExecutable(cli)) {
            throw new IllegalStateException("redis-cli not found beside " + binary);
        }
        return cli.toString();
    }

    /** Every live node says {@code cluster_state:ok}, and every master has a replica with its link up. */
    private void awaitHealthy(Duration timeout) {
        RedisProcess.await("a healthy cluster", timeout, () -> {
            for (RedisProcess node : live()) {
                if (!"ok".equals(RespCall.infoFieldOf(call(node.port(), "CLUSTER", "INFO"), "cluster_state"))) {
                    return false;
                }
            }
            List<ClusterNode> view = view();
            for (ClusterNode master : view) {
                if (master.master() && !master.failed() && !hasReplicaInSync(view, master)) {
                    return false;
                }
            }
            return true;
        });
    }

    private boolean hasReplicaInSync(List<ClusterNode> view, ClusterNode master) throws IOException {
        for (ClusterNode replica : view) {
            if (!replica.master() && !replica.failed() && replica.masterId().equals(master.id())
                    && "up".equals(RespCall.infoField(replica.port(), password, "replication", "master_link_status"))) {
                return true;
            }
        }
        return false;
    }

    /** The port of the master that serves {@code key}'s slot now; -1 while no live node can say. */
    public int masterOf(String key) {
        try {
            long slot = (Long) call(anyLive().port(), "CLUSTER", "KEYSLOT", key);
            return view().stream().filter(n -> n.master() && !n.failed() && n.serves(slot)).mapToInt(ClusterNode::port)
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** SIGKILLs the master serving {@code key} and returns its port. */
    public int killMasterOf(String key) {
        int port = masterOf(key);
        RedisProcess master = nodes.stream().filter(n -> n.port() == port && n.isAlive()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no live master for " + key + " (" + port + ")"));
        master.kill();
        return port;
    }

    /**
     * Waits until another node serves {@code key}'s slot as master and the cluster is ok again (the killed master's
     * replica was promoted), and returns the new master's port.
     */
    public int awaitFailover(String key, int oldPort, Duration timeout) {
        RedisProcess.await("a failover of " + key + " away from port " + oldPort, timeout, () -> {
            int now = masterOf(key);
            if (now <= 0 || now == oldPort) {
                return false;
            }
            for (RedisProcess node : live()) {
                if (!"ok".equals(RespCall.infoFieldOf(call(node.port(), "CLUSTER", "INFO"), "cluster_state"))) {
                    return false;
                }
            }
            return true;
        });
        return masterOf(key);
    }

    /**
     * Moves {@code key}'s slot, with every key in it, from its master to another master the way
     * {@code redis-cli --cluster reshard} does (the target IMPORTING, the source MIGRATING, {@code MIGRATE} in batches
     * of {@code batch} keys, then both and every other master told the new owner), while clients keep working: they
     * are redirected with {@code ASK} during the move and {@code MOVED} after it. Returns the new master's port.
     */
    public int migrateSlotOf(String key, int batch) throws IOException {
        List<ClusterNode> view = view();
        long slot = (Long) call(anyLive().port(), "CLUSTER", "KEYSLOT", key);
        ClusterNode source = view.stream().filter(n -> n.master() && !n.failed() && n.serves(slot)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no master serves slot " + slot));
        ClusterNode target = view.stream().filter(n -> n.master() && !n.failed() && !n.id().equals(source.id()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no other master"));
        String s = Long.toString(slot);
        call(target.port(), "CLUSTER", "SETSLOT", s, "IMPORTING", source.id());
        call(source.port(), "CLUSTER", "SETSLOT", s, "MIGRATING", target.id());
        while (true) {
            Object keys = call(source.port(), "CLUSTER", "GETKEYSINSLOT", s, Integer.toString(batch));
            if (!(keys instanceof List<?> names) || names.isEmpty()) {
                break;
            }
            List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "",
                    "0", "5000", "AUTH", password, "KEYS"));
            names.forEach(name -> migrate.add(String.valueOf(name)));
            call(source.port(), migrate.toArray(String[]::new));
        }
        for (ClusterNode node : List.of(target, source)) {
            call(node.port(), "CLUSTER", "SETSLOT", s, "NODE", target.id());
        }
        for (ClusterNode node : view) {
            if (node.master() && !node.failed() && node != target && node != source) {
                call(node.port(), "CLUSTER", "SETSLOT", s, "NODE", target.id());
            }
        }
        return target.port();
    }

    /** {@code quarkus.redis.hosts} for cluster mode: every node (the client learns the slots from any of them). */
    public String hosts() {
        return nodes.stream().map(n -> "redis://127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /** What every service needs to use the cluster (its key prefix comes from {@link #KEY_PREFIX}). */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.redis.client-type", "cluster");
        config.put("quarkus.redis.hosts", hosts());
        config.put("quarkus.redis.password", password);
        return config;
    }

    public String password() {
        return password;
    }

    /** One command to the node on {@code port}, authenticated. */
    public Object call(int port, String... args) throws IOException {
        return RespCall.callWithPassword(port, password, args);
    }

    /** The nodes as a live node sees them ({@code CLUSTER NODES}). */
    List<ClusterNode> view() throws IOException {
        String text = String.valueOf(call(anyLive().port(), "CLUSTER", "NODES"));
        List<ClusterNode> view = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                view.add(ClusterNode.parse(line.trim()));
            }
        }
        return view;
    }

    private List<RedisProcess> live() {
        return nodes.stream().filter(RedisProcess::isAlive).toList();
    }

    private RedisProcess anyLive() {
        return live().stream().findFirst().orElseThrow(() -> new IllegalStateException("no live cluster node"));
    }

    @Override
    public void close() {
        for (RedisProcess node : nodes) {
            node.kill();
        }
    }

    /** One line of {@code CLUSTER NODES}: {@code <id> <ip:port@cport> <flags> <master-id|-> ... <slot ranges>}. */
    record ClusterNode(String id, int port, boolean master, boolean failed, String masterId, List<long[]> slots) {

        static ClusterNode parse(String line) {
            String[] f = line.split(" ");
            String address = f[1];
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
            String flags = f[2];
            List<long[]> slots = new ArrayList<>();
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being imported or migrated
                }
                String[] range = f[i].split("-");
                long from = Long.parseLong(range[0]);
                slots.add(new long[]{from, range.length > 1 ? Long.parseLong(range[1]) : from});
            }
            return new ClusterNode(f[0], port, flags.contains("master"), flags.contains("fail"), f[3], slots);
        }

        boolean serves(long slot) {
            return slots.stream().anyMatch(r -> slot >= r[0] && slot <= r[1]);
        }
    }
}
