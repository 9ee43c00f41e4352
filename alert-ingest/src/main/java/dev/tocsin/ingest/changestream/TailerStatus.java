package dev.tocsin.ingest.changestream;

import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * What the tailer reports about itself, for readiness ({@link ChangeStreamHealthCheck}) and the stream-open
 * gauge: whether the stream is open, the change at the stored position, the last published position and time,
 * and the last error. Written by the tailer's thread, read by anyone.
 */
@Singleton
public class TailerStatus {

    private volatile boolean open;
    private volatile String lastChangeId;
    private volatile long lastSeq = -1;
    private volatile String epoch;
    private volatile Instant lastPublishedAt;
    /** Exception class only: the health endpoint is public and messages may name hosts. */
    private volatile String lastError;

    /** True while the stream is open and being read. */
    public boolean isOpen() {
        return open;
    }

    public String lastChangeId() {
        return lastChangeId;
    }

    /** The highest seq published (or found at the stored position); -1 when none is known. */
    public long lastSeq() {
        return lastSeq;
    }

    public String epoch() {
        return epoch;
    }

    /** When the last event went out; duplicates (published before) do not count. */
    public Instant lastPublishedAt() {
        return lastPublishedAt;
    }

    public String lastError() {
        return lastError;
    }

    void opened() {
        open = true;
        lastError = null;
    }

    void closed() {
        open = false;
    }

    void failed(String error) {
        lastError = error;
    }

    /** The stored position was read: the tailer continues after {@code changeId} at {@code sequence}. */
    void resumedAt(String changeId, SequencePosition sequence) {
        lastChangeId = changeId;
        epoch = sequence.epoch();
        lastSeq = sequence.lastSeq();
    }

    /** The position after {@code changeId} was stored. */
    void storedAt(String changeId) {
        lastChangeId = changeId;
    }

    /** The script answered a publish at {@code at}: the seq never goes back, an empty epoch keeps the known one. */
    void published(Published published, Instant at) {
        if (!published.duplicate()) {
            lastPublishedAt = at;
        }
        lastSeq = Math.max(lastSeq, published.seq());
        epoch = published.epoch().isEmpty() ? epoch : published.epoch();
    }
}
