package dev.tocsin.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Every setting of the alert gateway, below {@code tocsin.gateway}. Quarkus' own settings (port, Redis hosts, JWT
 * verification, WebSocket hard limits) stay under their {@code quarkus.*} / {@code mp.jwt.*} names.
 */
@ConfigMapping(prefix = "tocsin.gateway")
public interface GatewayConfig {

    /**
     * How often the server pings each client (WebSocket ping frames), announced to clients as
     * {@code heartbeatIntervalMs} in {@code connection_established}. A client that hears nothing for two intervals
     * should reconnect. {@code quarkus.websockets-next.server.auto-ping-interval} follows this value.
     */
    @WithDefault("30s")
    Duration heartbeatInterval();

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
}
