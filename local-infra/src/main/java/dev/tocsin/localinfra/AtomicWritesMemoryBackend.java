package dev.tocsin.localinfra;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.message.MongoMessage;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory backend with write commands applied one at a time. mongo-java-server matches and modifies a
 * document in two unguarded steps, so two concurrent conditional updates ({@code {acknowledgedBy: null}}) can
 * both match and both "win"; a real MongoDB applies each single-document write atomically. Serialising the
 * write commands gives the embedded server that guarantee, so conditional-update code is tested as it runs in
 * production. Reads (including change stream getMores) are not serialised. Hooked on OP_MSG, which every current driver uses.
 */
final class AtomicWritesMemoryBackend extends MemoryBackend {

    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify");

    private final ReentrantLock writeLock = new ReentrantLock();
    /** The namespaces whose writes the oplog records; null: all. */
    private final Set<String> oplogNamespaces;

    AtomicWritesMemoryBackend(Set<String> oplogNamespaces) {
        this.oplogNamespaces = oplogNamespaces;
    }

    @Override
    protected Oplog createOplog() {
        Oplog oplog = super.createOplog();
        return oplogNamespaces == null ? oplog : new NamespaceFilteredOplog(oplog, oplogNamespaces);
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document document = message.getDocument();
        String command = document == null || document.isEmpty() ? null : document.keySet().iterator().next();
        if (command == null || !WRITES.contains(command.toLowerCase(Locale.ROOT))) {
            return super.handleMessage(message);
        }
        writeLock.lock();
        try {
            return super.handleMessage(message);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Deletes the oplog entries written before {@code before}, as a real replica set's capped oplog drops its oldest
     * entries. The embedded server answers every change-stream poll by scanning its whole oplog, which otherwise
     * only grows. Taken under the write lock, like any other write. Returns the number of entries deleted.
     */
    int trimOplog(Instant before) {
        writeLock.lock();
        try {
            MongoCollection<?> oplog = resolveDatabase("local").resolveCollection("oplog.rs", false);
            if (oplog == null) {
                return 0;
            }
            return oplog.deleteDocuments(new Document("ts", new Document("$lt", new BsonTimestamp(before, 0))), 0);
        } finally {
            writeLock.unlock();
        }
    }
}
