package dev.tocsin.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** All settings of alert-ingest, below {@code tocsin.ingest}. */
@ConfigMapping(prefix = "tocsin.ingest")
public interface IngestConfig {

    /** Redis key layout and history bound. */
    RedisSettings redis();

    /** Limits on the free-form {@code metadata} object of an alert. */
    MetadataSettings metadata();

    /** The change stream tailer that turns stored changes into Redis events. */
    ChangeStreamSettings changeStream();

    /** REST listing limits. */
    ApiSettings api();

    interface RedisSettings {
        /** Prefix of every Redis key and channel this service writes ({@code tocsin:events}, {@code tocsin:history}, ...). */
        @WithDefault("tocsin:")
        String keyPrefix();

        /** Approximate maximum length of the {@code <prefix>history} stream ({@code XADD MAXLEN ~ n}). */
        @WithDefault("100000")
        long historyMaxLength();

        /** How long one publish (the Lua script call) may take before it counts as failed and is retried. */
        @WithDefault("5s")
        Duration publishTimeout();
    }

    interface MetadataSettings {
        /** Maximum size of {@code metadata} encoded as UTF-8 JSON, in bytes. */
        @WithDefault("16384")
        int maxBytes();

        /** Maximum number of keys in {@code metadata}, counted over all nested objects. */
        @WithDefault("64")
        int maxKeys();

        /** Maximum nesting depth of {@code metadata}; the top-level object is depth 1. */
        @WithDefault("5")
        int maxDepth();

        /** Maximum length of one key. */
        @WithDefault("128")
        int maxKeyLength();
    }

    interface ChangeStreamSettings {
        /** Whether the tailer runs at all (turn off only for maintenance or a read-only replica of this service). */
        @WithDefault("true")
        boolean enabled();

        /** Id of this stream's document in the state collection (one document per stream). */
        @WithDefault("alerts")
        String streamId();

        /** Collection that keeps the last published resume token of each stream. */
        @WithDefault("changestream_state")
        String stateCollection();

        /** Longest time one poll of the stream waits for a change (bounds how fast the tailer notices a stop). */
        @WithDefault("1s")
        Duration maxAwait();

        /** First delay before reopening the stream or retrying a failed publish; doubles per failure. */
        @WithDefault("200ms")
        Duration backoffInitial();

        /** Upper bound of that delay. */
        @WithDefault("30s")
        Duration backoffMax();

        /** How long shutdown waits for the tailer thread to finish the change in hand. */
        @WithDefault("10s")
        Duration stopTimeout();
    }

    interface ApiSettings {
        /** Page size of {@code GET /api/v1/alerts} when the request names none. */
        @WithDefault("50")
        int defaultPageSize();

        /** Largest page size a request may ask for. */
        @WithDefault("200")
        int maxPageSize();
    }
}
