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

    /**
     * Stream: every AlertEvent again (fields {@code seq}, {@code event}), appended in the publishing step, for the
     * relay's consumer group {@code relay} (at-least-once, shared by relay replicas).
     */
    public String relayStream() {
        return prefix + "relay";
    }

    /** Stream: deliveries the relay gave up on after its last attempt. */
    public String relayDeadLetters() {
        return prefix + "relay:dead";
    }

    /** Stream: {@code IngestCommand}s for alert-ingest (field {@code command}, consumer group {@code ingest}). */
    public String commands() {
        return prefix + "commands";
    }

    /**
     * Sorted set: a user's live WebSocket sessions, member {@code <gateway instance>/<connection id>}, score the
     * epoch millisecond at which the entry expires unless a heartbeat refreshes it. A user is online while any
     * member's score lies in the future.
     */
    public String presence(String user) {
        return prefix + "presence:" + user;
    }

    /** String with a TTL: the user is banned from connecting until it expires. */
    public String ban(String user) {
        return prefix + "ban:" + user;
    }
}
