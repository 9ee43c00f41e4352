package dev.tocsin.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the alert gateway, below {@code tocsin.gateway}. Quarkus' own settings (port, Redis hosts, JWT
 * verification, WebSocket hard limits) stay under their {@code quarkus.*} / {@code mp.jwt.*} names.
 */
@ConfigMapping(prefix = "tocsin.gateway")
public interface GatewayConfig {

    /**
     * How often the server sends each client a WebSocket ping control frame (which browsers and WebSocket libraries
     * answer with a pong frame by themselves) and the informational {@code ping} message, announced as
     * {@code heartbeatIntervalMs} in {@code connection_established}. Liveness is checked every quarter interval: a
     * connection from which no frame at all (message, pong or ping frame) was heard for more than two intervals is
     * closed with 4001, between 2 and 2.25 intervals after the last frame heard. Nobody has to answer the JSON
     * {@code ping}. Presence entries in Redis live for two intervals and are refreshed once per interval.
     */
    @WithDefault("30s")
    Duration heartbeatInterval();

    /**
     * Origins a browser may open the WebSocket from, such as {@code https://console.example.org}: a handshake whose
     * {@code Origin} header is not listed is refused with 403 (reason {@code origin_not_allowed}). Handshakes without
     * {@code Origin} (apps, services, command-line clients) are not checked. Not set (the default): no origin check.
     * Compared without case and without a trailing slash.
     */
    Optional<List<String>> allowedOrigins();

    /**
     * Largest client text message the gateway reads, in UTF-8 bytes. A larger message is answered with an
     * {@code error} of code {@code frame_too_large} and the connection stays open. Messages above the transport's
     * hard cap ({@code quarkus.websockets-next.server.max-message-size}, set higher) close the connection with 1009.
     */
    @WithDefault("65536")
    int maxFrameBytes();

    /** Prefix of the Redis keys and channels shared with alert-ingest ({@code <prefix>events} is the event channel). */
    @WithDefault("tocsin:")
    String keyPrefix();

    /** First wait before subscribing to Redis again after the subscription was lost or could not be made. */
    @WithDefault("250ms")
    Duration resubscribeInitialBackoff();

    /** Longest wait between two subscription attempts (the wait doubles from the initial back-off up to this). */
    @WithDefault("10s")
    Duration resubscribeMaxBackoff();

    /** How long one subscription attempt may take (connect and SUBSCRIBE confirmed) before it counts as failed. */
    @WithDefault("10s")
    Duration subscribeTimeout();

    /**
     * Identity of this gateway replica in presence entries ({@code <instance-id>/<connection id>}). Default: the
     * host name plus a random suffix, so two processes on one host never collide.
     */
    Optional<String> instanceId();

    /**
     * Most WebSocket connections one user may hold across all replicas (counted from the presence entries in
     * Redis). A handshake beyond it is refused with 429.
     */
    @WithDefault("5")
    int maxConnectionsPerUser();

    /** Base URL of alert-ingest's REST API, to which {@code ack} and {@code clear} are forwarded. */
    @WithDefault("http://localhost:8081")
    String ingestUrl();

    /** How long one forwarded {@code ack} or {@code clear} may take (connect plus answer) before it counts as unavailable. */
    @WithDefault("5s")
    Duration ingestTimeout();

    /** How long one read of the event history (a page of XRANGE, the tail position) may take before it counts as failed. */
    @WithDefault("5s")
    Duration historyReadTimeout();

    /**
     * How many change ids of recently delivered events are remembered, so an event delivered again under a new
     * sequence number (a replay upstream) is still dropped.
     */
    @WithDefault("10000")
    int recentChangeIds();

    /**
     * On shutdown (or {@code POST /api/v1/admin/drain}) how long open connections may take to receive what is queued
     * for them before they are closed with 4000 regardless.
     */
    @WithDefault("20s")
    Duration drainTimeout();

    /** Recovery of missed events: {@code sync} and the offline inbox. */
    Sync sync();

    /** Batching of non-critical alerts. */
    Batch batch();

    /** The per-connection outbound queue. */
    Outbound outbound();

    /** Rate limits on client messages. */
    RateLimit rateLimit();

    /** WebSocket delivery records handed to alert-ingest ({@code GET /api/v1/alerts/{id}/deliveries}). */
    DeliveryRecords deliveryRecords();

    /** The handshake warm-up at boot, before readiness ({@code BootWarmup}). */
    Warmup warmup();

    interface Warmup {

        /**
         * Synthetic handshake operations (token verification, principal, admission reads, presence entry, greeting)
         * run at boot before the gateway reports ready, so that the first clients after a start meet compiled code.
         * 0 turns the warm-up off.
         */
        @WithDefault("10000")
        int operations();

        /** The warm-up ends after this long even if not all operations ran; the gateway is then ready all the same. */
        @WithDefault("60s")
        Duration timeout();
    }

    interface Sync {

        /** Events one {@code sync} replays when the client names no {@code maxCount}. */
        @WithDefault("1000")
        int defaultMaxCount();

        /** Most events one {@code sync} replays; a larger {@code maxCount} is lowered to this. */
        @WithDefault("1000")
        int maxCount();

        /**
         * A new connection keeps its live frames back this long, or until the client's first message, so that a
         * {@code sync} sent right after connecting is answered before any newer live frame (no reordering).
         */
        @WithDefault("1s")
        Duration holdOnConnect();

        /** Whether a new connection first receives the alerts the relay kept for the offline user ({@code <prefix>inbox:{user}}). */
        @WithDefault("true")
        boolean inbox();

        /**
         * How many of the newest events the gateway keeps in memory to answer {@code sync} without reading the Redis
         * history (a reconnect storm's thousands of syncs ask for the same recent range); older ranges are read from
         * Redis. 0 turns the window off. 4,096 covers a storm of 40 s at 100 alerts a second.
         */
        @WithDefault("4096")
        int windowSize();

        /**
         * The most heap the window's events may hold, by an estimate that errs high (every character at two bytes, plus
         * object overheads; {@code EventFootprintTest}): a typical alert counts about 2 KiB, one with 16 KiB of metadata
         * about 45 KiB, one naming a thousand users of 200 characters about 500 KiB. The oldest events make room.
         */
        @WithDefault("16M")
        MemorySize windowMaxBytes();

        /**
         * The oldest publication time a range served from the in-memory window may start at; a sync from further
         * back reads the Redis history, whose own age and length bounds then decide.
         */
        @WithDefault("10m")
        Duration windowMaxAge();
    }

    interface Batch {

        /** How long non-critical alerts are gathered per connection before they are sent as one {@code alert_batch}. */
        @WithDefault("100ms")
        Duration window();

        /** Most alerts in one {@code alert_batch}; a full batch is sent at once. */
        @WithDefault("50")
        int maxSize();
    }

    interface Outbound {

        /**
         * Most frames waiting for one connection. On overflow the lowest-priority frames are dropped first and the
         * client gets a {@code gap}; critical alerts and answers are never dropped.
         */
        @WithDefault("1000")
        int queueSize();

        /** A connection whose outbound queue stays full this long is closed with 4002 ({@code slow_consumer}). */
        @WithDefault("30s")
        Duration stuckTimeout();

        /**
         * Most frames handed to the transport and not yet written to the socket; further frames wait in the
         * outbound queue, where the drop policy can still act on them.
         */
        @WithDefault("64")
        int maxInFlight();
    }

    interface RateLimit {

        /** Client messages allowed per connection and minute (token bucket; the bucket holds this many). */
        @WithDefault("60")
        int perMinute();

        /** Refused messages within one minute after which the user is banned and the connection closed (4501). */
        @WithDefault("10")
        int banAfter();

        /** How long a ban lasts; it lives in Redis, so it holds on every replica. */
        @WithDefault("15m")
        Duration banDuration();
    }

    interface DeliveryRecords {

        /**
         * Whether an {@code alert} (or {@code alert_batch} entry, or replayed alert) written to a connection is
         * recorded as a {@code websocket} delivery, once per alert and user per gateway process.
         */
        @WithDefault("true")
        boolean enabled();

        /** How often buffered records are sent to the {@code <prefix>commands} stream. */
        @WithDefault("250ms")
        Duration flushInterval();

        /**
         * Records (alert, user pairs) sent in one pipelined round trip, as {@code record_deliveries} commands of one
         * alert and at most 1,000 users each; a full batch is sent without waiting for the interval.
         */
        @WithDefault("5000")
        int batchSize();

        /**
         * Most records waiting to be sent. Beyond it new records are dropped and counted
         * ({@code tocsin_gateway_delivery_records_dropped_total}) rather than growing memory while Redis lags.
         */
        @WithDefault("50000")
        int maxBuffer();

        /**
         * How many (alert, user) pairs are remembered to record each only once (least recently used forgotten
         * first). A pair forgotten and delivered again is recorded again, which ingest's upsert makes harmless.
         */
        @WithDefault("100000")
        int dedupSize();

        /** Approximate maximum length of the {@code <prefix>commands} stream ({@code XADD MAXLEN ~ n}). */
        @WithDefault("1000000")
        long streamMaxLength();
    }
}
