package dev.tocsin.relay.config;

import dev.tocsin.protocol.event.RedisKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of notification-relay ({@code tocsin.relay.*}). */
@ConfigMapping(prefix = "tocsin.relay")
public interface RelayConfig {

    /**
     * Prefix of every Redis key the relay reads or writes; must match the prefix alert-ingest writes with (the
     * relay stream is {@code <prefix>relay}).
     */
    @WithDefault(RedisKeys.DEFAULT_PREFIX)
    String keyPrefix();

    /**
     * Link put into every push; {@code {id}} is replaced by the URL-encoded alert id. It should be alert-ingest's
     * public URL: alert-ingest answers {@code /alerts/{id}} with a redirect to its operator console on that alert
     * ({@code /console/#/alerts/{id}}, docs/console.md). The default is alert-ingest's local port.
     */
    @WithDefault("http://localhost:8081/alerts/{id}")
    String alertUrlTemplate();

    /** The consumer of the relay stream. */
    Consumer consumer();

    /** When pending deliveries and escalation steps run. */
    Schedule schedule();

    /** Escalation chains per priority. */
    Escalation escalation();

    /** The offline inbox: missed alerts kept in Redis for the gateway to hand over when the user reconnects. */
    Inbox inbox();

    /** Retries of a failed send (Telegram and FCM alike). */
    Retry retry();

    /** The one push telling users who were pushed an alert that it was resolved or retracted. */
    FollowUp followUp();

    /** Telegram Bot API. */
    Telegram telegram();

    /** Firebase Cloud Messaging HTTP v1. */
    Fcm fcm();

    interface Consumer {

        /** Consumer group on the relay stream, shared by all relay replicas. */
        @WithDefault("relay")
        String group();

        /**
         * This replica's consumer name in the group; default the host name (the pod name in Kubernetes) or, when
         * there is none, a random id.
         */
        Optional<String> name();

        /**
         * Consumer loops in this process (each a consumer of its own, {@code <name>-<i>}); more than one is mostly
         * useful to prove in tests that consumers share work without duplicates.
         */
        @WithDefault("1")
        int instances();

        /** Most entries one XREADGROUP returns. */
        @WithDefault("32")
        int batchSize();

        /** How long one XREADGROUP blocks waiting for entries; keep it below quarkus.redis.timeout. */
        @WithDefault("1s")
        Duration block();

        /**
         * Entries pending (read, not acknowledged) longer than this are taken over by XAUTOCLAIM: this is how the
         * work of a dead replica is resumed.
         */
        @WithDefault("60s")
        Duration claimIdle();

        /** How often each consumer runs XAUTOCLAIM. */
        @WithDefault("15s")
        Duration claimInterval();

        /** First delay before reading again after a failed read (Redis down); doubles up to {@link #maxBackoff()}. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Upper bound of the delay between two reads while Redis is unreachable. */
        @WithDefault("5s")
        Duration maxBackoff();

        /**
         * How often the lag/pending gauges are refreshed from Redis; at least 1s (quarkus-scheduler looks at its
         * triggers once a second, so a shorter value acts as 1s).
         */
        @WithDefault("10s")
        Duration gaugeInterval();
    }

    interface Schedule {

        /**
         * How often each replica looks for due steps (first delivery and escalations); at least 1s (quarkus-scheduler
         * looks at its triggers once a second, so a shorter value acts as 1s).
         */
        @WithDefault("1s")
        Duration pollInterval();

        /** Most steps one replica claims per poll. */
        @WithDefault("16")
        int batchSize();

        /**
         * A claimed step is hidden from other replicas this long; if the replica dies, another one runs the step
         * after it (sending only the deliveries that were not finished).
         */
        @WithDefault("5m")
        Duration lease();

        /** A step with deliveries still held by another replica is looked at again after this delay. */
        @WithDefault("30s")
        Duration recheck();

        /**
         * How long a delivery claim (SET NX) holds before another replica may retry it; must exceed the longest
         * retry sequence of one send.
         */
        @WithDefault("15m")
        Duration claimTtl();

        /** How long the relay remembers an alert, its finished deliveries and its cancellation. */
        @WithDefault("7d")
        Duration stateTtl();

        /** Deliveries of one step sent at the same time. */
        @WithDefault("16")
        int concurrency();
    }

    interface Escalation {

        /**
         * Escalation steps of critical alerts after the first delivery, {@code <target>:<delay>} where target is
         * {@code all}, {@code telegram}, {@code fcm} (the alert's recipients, online or not) or {@code group} (the
         * alert's escalationGroup), delay counted from the alert's creation ({@code 500ms}, {@code 30s},
         * {@code 5m}, {@code 1h}); {@code none} for no escalation.
         */
        @WithDefault("all:5m,group:10m")
        List<String> critical();

        /** Escalation steps of high alerts (format as {@link #critical()}); default none. */
        @WithDefault("none")
        List<String> high();

        /** Escalation steps of medium alerts; default none. */
        @WithDefault("none")
        List<String> medium();

        /** Escalation steps of low alerts; default none. */
        @WithDefault("none")
        List<String> low();

        /** Escalation steps of info alerts; default none. */
        @WithDefault("none")
        List<String> info();
    }

    interface Inbox {

        /**
         * Whether the first delivery step ({@code offline}) appends the alert to the inbox of each recipient without
         * a live session ({@code <prefix>inbox:<user>}).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Most entries kept per user (at least 1). When an append makes the inbox longer, the oldest non-critical
         * entry goes first (the oldest entry when all are critical) and {@code <prefix>inbox:<user>:dropped} counts
         * it.
         */
        @WithDefault("100")
        int maxSize();

        /**
         * Time to live of a user's inbox and of its dropped counter, set again on every append: an inbox nobody
         * collects disappears this long after its last entry.
         */
        @WithDefault("24h")
        Duration ttl();
    }

    interface FollowUp {

        /**
         * Whether users who were pushed an alert over Telegram or FCM get one more message when it is resolved or
         * retracted.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long after the resolution or retraction the follow-up runs: a push of the alert still on its way
         * (retries) gets this long to land, so that its user is told too.
         */
        @WithDefault("10s")
        Duration delay();
    }

    interface Retry {

        /** Attempts per send, the first included; then the delivery goes to the dead-letter stream. */
        @WithDefault("5")
        int maxAttempts();

        /** Delay before the second attempt; doubles per attempt (with jitter) up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Upper bound of the backoff (a server's Retry-After / retry_after is honoured even when longer). */
        @WithDefault("30s")
        Duration maxBackoff();

        /** Longest server-requested wait that is honoured; a longer one ends the delivery as dead letter. */
        @WithDefault("5m")
        Duration maxRetryAfter();
    }

    interface Telegram {

        /** Bot API base URL. */
        @WithDefault("https://api.telegram.org")
        String baseUrl();

        /**
         * The bot token (from a Secret, env {@code TOCSIN_RELAY_TELEGRAM_BOT_TOKEN}); without it Telegram is
         * disabled and its deliveries are recorded as skipped. Never logged.
         */
        Optional<String> botToken();

        /** Messages per second over all chats, per replica (Telegram allows about 30). */
        @WithDefault("30")
        double globalRate();

        /** Messages per second to one chat (Telegram allows about 1). */
        @WithDefault("1")
        double perChatRate();

        /** Connect timeout of one request. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Read timeout of one request. */
        @WithDefault("10s")
        Duration readTimeout();
    }

    interface Fcm {

        /** FCM API base URL ({@code POST {base-url}/v1/projects/{project}/messages:send}). */
        @WithDefault("https://fcm.googleapis.com")
        String baseUrl();

        /**
         * Path of the service-account key JSON (mounted from a Secret); without it (and without
         * {@link #serviceAccountJson()}) FCM is disabled and its deliveries are recorded as skipped.
         */
        Optional<Path> serviceAccountFile();

        /** The service-account key JSON itself (env {@code TOCSIN_RELAY_FCM_SERVICE_ACCOUNT_JSON}); never logged. */
        Optional<String> serviceAccountJson();

        /** Firebase project id; default the key's {@code project_id}. */
        Optional<String> projectId();

        /** OAuth2 token endpoint; default the key's {@code token_uri}, else https://oauth2.googleapis.com/token. */
        Optional<String> tokenUri();

        /** An access token is renewed this long before it expires. */
        @WithDefault("5m")
        Duration tokenRefreshMargin();

        /** Connect timeout of one request. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Read timeout of one request. */
        @WithDefault("10s")
        Duration readTimeout();
    }
}
