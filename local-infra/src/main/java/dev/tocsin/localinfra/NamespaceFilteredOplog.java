package dev.tocsin.localinfra;

import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

import java.util.List;
import java.util.Set;

/**
 * An oplog that records the writes of some namespaces ({@code database.collection}) only. For the benchmark's
 * stand-in: a replica set's change stream reads each oplog entry once, from its position on, but the embedded
 * server scans its whole oplog on every poll, so writes no change stream reads (delivery records, one per alert and
 * user) would make every poll as slow as all of them. A change stream on another namespace sees nothing.
 */
final class NamespaceFilteredOplog implements Oplog {

    private final Oplog oplog;
    private final Set<String> namespaces;

    NamespaceFilteredOplog(Oplog oplog, Set<String> namespaces) {
        this.oplog = oplog;
        this.namespaces = Set.copyOf(namespaces);
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        if (namespaces.contains(namespace)) {
            oplog.handleInsert(namespace, documents);
        }
    }

    @Override
    public void handleUpdate(String namespace, Document selector, Document query, List<Object> modifiedIds) {
        if (namespaces.contains(namespace)) {
            oplog.handleUpdate(namespace, selector, query, modifiedIds);
        }
    }

    @Override
    public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
        if (namespaces.contains(namespace)) {
            oplog.handleDelete(namespace, query, deletedIds);
        }
    }

    @Override
    public void handleDropCollection(String namespace) {
        if (namespaces.contains(namespace)) {
            oplog.handleDropCollection(namespace);
        }
    }

    @Override
    public Cursor createCursor(Document changeStreamDocument, String namespace, Aggregation aggregation) {
        return oplog.createCursor(changeStreamDocument, namespace, aggregation);
    }
}
