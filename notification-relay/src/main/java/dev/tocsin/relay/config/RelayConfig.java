package dev.tocsin.relay.config;

import dev.tocsin.protocol.event.RedisKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Configuration of notification-relay ({@code tocsin.relay.*}). Only what the relay uses today is here; the
 * delivery channels (Telegram, FCM) add their own groups when they arrive.
 */
@ConfigMapping(prefix = "tocsin.relay")
public interface RelayConfig {

    /**
     * Prefix of every Redis key and channel the relay reads; must match the prefix alert-ingest writes with
     * (the events channel is {@code <prefix>events}).
     */
    @WithDefault(RedisKeys.DEFAULT_PREFIX)
    String keyPrefix();

    /** The subscription to the alert events published by alert-ingest. */
    Events events();

    interface Events {

        /**
         * How long one subscribe attempt (connect + SUBSCRIBE acknowledged) may take before it counts as failed
         * and is retried.
         */
        @WithDefault("10s")
        Duration subscribeTimeout();

        /**
         * First delay before subscribing again after the subscription failed or its connection was lost;
         * doubles per failed attempt up to {@link #resubscribeMaxBackoff()}.
         */
        @WithDefault("200ms")
        Duration resubscribeInitialBackoff();

        /** Upper bound of the delay between two subscribe attempts while Redis is unreachable. */
        @WithDefault("5s")
        Duration resubscribeMaxBackoff();
    }
}
