package dev.tocsin.protocol.event;

/**
 * Names of the Redis keys and channels the services share, below one prefix (default {@code tocsin:}).
 * {@code docs/architecture.md} has the table with each key's type, writer and readers.
 */
public record RedisKeys(String prefix) {

    public static final String DEFAULT_PREFIX = "tocsin:";

    public static RedisKeys defaults() {
        return new RedisKeys(DEFAULT_PREFIX);
    }

    /** Pub/sub channel: every AlertEvent as JSON, published by alert-ingest. */
    public String eventsChannel() {
        return prefix + "events";
    }

    /** Stream: the bounded history of AlertEvents (field {@code event}), appended in the publishing step. */
    public String history() {
        return prefix + "history";
    }

    /** String counter: the last assigned sequence number. */
    public String sequence() {
        return prefix + "seq";
    }

    /** String: the current epoch of the sequence. */
    public String epoch() {
        return prefix + "epoch";
    }
}
