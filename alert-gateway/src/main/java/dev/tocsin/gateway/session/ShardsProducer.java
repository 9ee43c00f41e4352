package dev.tocsin.gateway.session;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.hub.EventLoopShards;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The gateway's one {@link EventLoopShards}, whose members are sessions: the hub sees them as recipients, features
 * that walk a shard's connections (heartbeat) get sessions.
 */
public class ShardsProducer {

    @Produces
    @Singleton
    EventLoopShards<Session> shards(GatewayConfig config, GatewayMetrics metrics) {
        return new EventLoopShards<>(config, metrics);
    }
}
