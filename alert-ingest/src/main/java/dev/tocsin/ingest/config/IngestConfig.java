package dev.tocsin.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** The job that marks alerts past their {@code expiresAt} as expired. */
    ExpirySettings expiry();

    /** The consumer of the {@code <prefix>commands} stream (writes handed over by the gateway and the relay). */
    CommandSettings commands();

    /** The Redis lock that lets exactly one replica run the change stream tailer. */
    LeaderSettings leader();

    /** Browsers on other origins (CORS). */
    CorsSettings cors();

    /** {@code Idempotency-Key} of {@code POST /api/v1/alerts}. */
    IdempotencySettings idempotency();

    /** How long closed alerts and their delivery records are kept. */
    RetentionSettings retention();

    /** The operator console served at {@code /console/} (docs/console.md). */
    ConsoleSettings console();

    /** Notes on alerts ({@code POST /api/v1/alerts/{id}/notes}). */
    NoteSettings notes();

    interface RedisSettings {
        /** Prefix of every Redis key and channel this service writes ({@code tocsin:events}, {@code tocsin:history}, ...). */
        @WithDefault("tocsin:")
        String keyPrefix();

        /** Approximate maximum length of the {@code <prefix>history} stream ({@code XADD MAXLEN ~ n}). */
        @WithDefault("100000")
        long historyMaxLength();

        /**
         * Approximate maximum length of the {@code <prefix>relay} stream that notification-relay's consumer group
         * reads ({@code XADD MAXLEN ~ n}); entries beyond it are trimmed even if the relay has not read them.
         */
        @WithDefault("1000000")
        long relayMaxLength();

        /** How long one publish (the Lua script call) may take before it counts as failed and is retried. */
        @WithDefault("5s")
        Duration publishTimeout();

        /**
         * How long a published change is remembered ({@code <prefix>change:<changeId>}, value its seq): a change
         * replayed within this window (crash between publish and saving the resume token, a timed-out publish
         * that did happen) is not published again. Whole seconds, at least 1.
         */
        @WithDefault("1h")
        Duration dedupWindow();

        /**
         * History entries whose event was published longer ago than this are removed by the trim job (in addition
         * to the {@code history-max-length} bound).
         */
        @WithDefault("24h")
        Duration historyMaxAge();

        /**
         * How often the trim job removes history entries older than {@code history-max-age}. Read by the scheduler
         * as {@code ${tocsin.ingest.redis.history-trim-interval}}; every replica may run it (XTRIM MINID is
         * idempotent and only ever removes old entries).
         */
        @WithDefault("1m")
        Duration historyTrimInterval();
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

        /**
         * On a server that answers an empty poll at once instead of waiting {@code max-await} (the embedded server
         * of local runs and tests; a replica set waits server-side), the tailer rests this long before polling
         * again. A write to {@code alerts} made by this process ends the rest at once.
         */
        @WithDefault("50ms")
        Duration idlePollInterval();

        /** First delay before reopening the stream or retrying a failed publish; doubles per failure. */
        @WithDefault("200ms")
        Duration backoffInitial();

        /** Upper bound of that delay. */
        @WithDefault("30s")
        Duration backoffMax();

        /** How long shutdown waits for the tailer thread to finish the change in hand. */
        @WithDefault("10s")
        Duration stopTimeout();

        /**
         * On a quiet stream, the resume token (the server's post-batch token) is stored at most this often, so the
         * stored position never ages out of the oplog while nothing changes.
         */
        @WithDefault("10s")
        Duration idleTokenSaveInterval();

        /**
         * When the stored position has aged out of the oplog, alerts with {@code updatedAt >= position time -
         * replay-margin} are re-published; the margin covers clock differences between replicas and the store.
         */
        @WithDefault("1m")
        Duration replayMargin();
    }

    interface LeaderSettings {
        /**
         * Whether the tailer runs only while this replica holds the lock {@code <prefix>ingest:leader}. Turn off
         * only when exactly one replica runs (then the tailer starts at once and publishes without fencing).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Lifetime of the lock; the holder renews it every third of this. A replica that stopped without releasing
         * it is replaced at most this long after its last renewal.
         */
        @WithDefault("10s")
        Duration ttl();
    }

    interface ApiSettings {
        /** Page size of {@code GET /api/v1/alerts} when the request names none. */
        @WithDefault("50")
        int defaultPageSize();

        /** Largest page size a request may ask for. */
        @WithDefault("200")
        int maxPageSize();

        /** Most delivery records {@code GET /api/v1/alerts/{id}/deliveries} returns (newest first). */
        @WithDefault("500")
        int maxDeliveries();

        /**
         * How long {@code GET /api/v1/alerts} waits for Redis to tell the change-event position the answer carries;
         * past it (or when Redis refuses) the listing answers 503 rather than alerts without a position.
         */
        @WithDefault("2s")
        Duration positionTimeout();
    }

    interface ExpirySettings {
        /** Whether this replica runs the expiry job (every replica may: the update is conditional and idempotent). */
        @WithDefault("true")
        boolean enabled();

        /**
         * How often active alerts with {@code expiresAt <= now} are marked expired. Read by the scheduler as
         * {@code ${tocsin.ingest.expiry.interval}}; an alert expires at most this much after its time.
         */
        @WithDefault("30s")
        Duration interval();
    }

    interface CommandSettings {
        /** Whether this replica consumes the command stream. */
        @WithDefault("true")
        boolean enabled();

        /** Consumer group shared by all ingest replicas. */
        @WithDefault("ingest")
        String group();

        /**
         * This replica's consumer name within the group; default {@code ingest-<host>-<random>}. It must differ
         * between replicas, or two replicas would read each other's pending entries as their own.
         */
        Optional<String> consumerName();

        /** Most entries read per XREADGROUP call. */
        @WithDefault("100")
        int batchSize();

        /** How long one XREADGROUP waits for new entries (also bounds how fast the consumer notices a stop). */
        @WithDefault("2s")
        Duration block();

        /** Entries pending (read, not acknowledged) longer than this are claimed with XAUTOCLAIM and redone. */
        @WithDefault("60s")
        Duration claimMinIdle();

        /** How often this replica looks for such entries. */
        @WithDefault("15s")
        Duration claimInterval();

        /** First delay after a failed Redis call; doubles per failure up to {@code backoff-max}. */
        @WithDefault("200ms")
        Duration backoffInitial();

        /** Upper bound of that delay. */
        @WithDefault("10s")
        Duration backoffMax();
    }

    interface CorsSettings {
        /**
         * Origins whose pages may call this API from a browser, such as {@code https://console.example.org}
         * (scheme, host and port; {@code /regex/} entries are regular expressions). Not set (the default): none;
         * requests carrying another {@code Origin} are refused with 403 by the CORS filter, requests without one
         * (servers, command-line clients) are not affected. The CORS filter reads this list through
         * {@code quarkus.http.cors.origins} in application.properties, which also fixes the methods (GET, POST, PUT,
         * DELETE, PATCH), the request headers (Authorization, Content-Type) and the exposed header (Location).
         */
        Optional<List<String>> origins();
    }

    interface ConsoleSettings {
        /**
         * The gateway's WebSocket URL as the console's browsers reach it, such as
         * {@code wss://alerts.example.org/ws/alerts}; served to the page in {@code /console/config.json} and allowed
         * by the console's Content-Security-Policy ({@code connect-src}). Not set (the default outside dev and
         * {@code run-local.sh}, which use {@code ws://127.0.0.1:8080/ws/alerts}): the console says it is not
         * configured instead of guessing. The gateway must allow this service's public origin
         * ({@code tocsin.gateway.allowed-origins}).
         */
        Optional<String> gatewayUrl();

        /** The console shows a "may be out of date" banner after this long without any message from the gateway. */
        @WithDefault("75s")
        Duration staleAfter();
    }

    interface IdempotencySettings {
        /**
         * How long a caller's {@code Idempotency-Key} is remembered after the request that first used it: a retry
         * within this period returns the alert that request created; afterwards the key is free again (removed by
         * a MongoDB TTL index, and treated as free once past even before that runs).
         */
        @WithDefault("24h")
        Duration keyTtl();
    }

    interface RetentionSettings {
        /**
         * How long an alert is kept after it became cleared, expired, resolved or retracted, with its timeline and
         * delivery records; then MongoDB's TTL monitor removes them ({@code purgeAt}).
         */
        @WithDefault("30d")
        Duration closedAlerts();
    }

    interface NoteSettings {
        /** Longest note, in characters (after trimming); a longer one is refused with 400. */
        @WithDefault("2000")
        int maxLength();

        /**
         * Most notes one alert holds; a note beyond is refused with 409 {@code note-limit-reached}. Bounds the
         * alert document (notes are embedded in it): 200 notes of 2000 characters stay far below MongoDB's 16 MB.
         */
        @WithDefault("200")
        int maxPerAlert();
    }
}
