package dev.tocsin.localinfra;

import de.bwaldvogel.mongo.MongoServer;

import java.net.InetSocketAddress;

/**
 * The embedded MongoDB wire-protocol server (mongo-java-server, in memory) with its oplog enabled, so change
 * streams work, and write commands applied one at a time (see {@link AtomicWritesMemoryBackend}). See {@code ../shared/STACK.md} and {@code docs/architecture.md} for how it differs from a real
 * replica set; the services' code works on both.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /** Starts on a free loopback port. */
    public static EmbeddedMongo start() {
        return start(0);
    }

    /** Starts on the given port (0 for a free one). */
    public static EmbeddedMongo start(int port) {
        MongoServer server = new MongoServer(new AtomicWritesMemoryBackend());
        server.enableOplog();
        server.bind("127.0.0.1", port);
        return new EmbeddedMongo(server, server.getLocalAddress());
    }

    public int port() {
        return address.getPort();
    }

    /** The URI for {@code quarkus.mongodb.connection-string}. */
    public String connectionString() {
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
