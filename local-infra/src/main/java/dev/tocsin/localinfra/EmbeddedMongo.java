package dev.tocsin.localinfra;

import de.bwaldvogel.mongo.MongoServer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The embedded MongoDB wire-protocol server (mongo-java-server, in memory) with its oplog enabled, so change
 * streams work, and write commands applied one at a time (see {@link AtomicWritesMemoryBackend}). See {@code ../shared/STACK.md} and {@code docs/architecture.md} for how it differs from a real
 * replica set; the services' code works on both.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server;
    private final AtomicWritesMemoryBackend backend;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoServer server, AtomicWritesMemoryBackend backend, InetSocketAddress address) {
        this.server = server;
        this.backend = backend;
        this.address = address;
    }

    /** Starts on a free loopback port. */
    public static EmbeddedMongo start() {
        return start(0);
    }

    /** Starts on the given port (0 for a free one). */
    public static EmbeddedMongo start(int port) {
        return start(port, null);
    }

    /**
     * Starts on the given port (0 for a free one) with an oplog that records only the writes of
     * {@code oplogNamespaces} ({@code database.collection}; null: all), so change streams see only those: for the
     * benchmark, where one collection is watched and the embedded server scans the whole oplog on every poll
     * (see {@link NamespaceFilteredOplog}).
     */
    public static EmbeddedMongo start(int port, Set<String> oplogNamespaces) {
        AtomicWritesMemoryBackend backend = new AtomicWritesMemoryBackend(oplogNamespaces);
        MongoServer server = new MongoServer(backend);
        server.enableOplog();
        server.bind("127.0.0.1", port);
        return new EmbeddedMongo(server, backend, server.getLocalAddress());
    }

    public int port() {
        return address.getPort();
    }

    /** The URI for {@code quarkus.mongodb.connection-string}. */
    public String connectionString() {
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    /**
     * Drops the oplog entries older than {@code keep}, like a real replica set's capped oplog; for long-running
     * stacks (the benchmark), where the embedded server's change-stream polls would otherwise scan an ever longer
     * oplog. A change stream whose position is older than that silently misses the dropped changes (a real server
     * answers ChangeStreamHistoryLost), so keep it well above how far a tailer can fall behind. Returns the number
     * of entries dropped.
     */
    public int trimOplog(Duration keep) {
        return backend.trimOplog(Instant.now().minus(keep));
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
