package dev.tocsin.gateway.ratelimit;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Temporary bans in Redis ({@link RedisKeys#ban}, a string with a TTL), so a ban holds on every gateway replica and
 * ends by itself. Reactive, never blocks.
 */
@ApplicationScoped
public class BanStore {

    private final ReactiveRedisDataSource redis;
    private final RedisKeys keys;
    private final long durationMs;

    BanStore(ReactiveRedisDataSource redis, GatewayConfig config) {
        this.redis = redis;
        this.keys = new RedisKeys(config.keyPrefix());
        this.durationMs = config.rateLimit().banDuration().toMillis();
    }

    /** Bans the user for the configured duration; the value says until when, for operators reading Redis. */
    public Uni<Void> ban(String user) {
        String until = Instant.now().plusMillis(durationMs).toString();
        return redis.execute("SET", keys.ban(user), until, "PX", Long.toString(durationMs)).replaceWithVoid();
    }

    /** The read of how long the user's ban still lasts, for the handshake's pipelined admission reads. */
    public Request remainingMsRequest(String user) {
        return Request.cmd(Command.PTTL).arg(keys.ban(user));
    }

    /** The answer to {@link #remainingMsRequest(String)} as milliseconds the ban still lasts; 0 when not banned. */
    public long remainingMs(Response response) {
        long ttl = response == null ? -2 : response.toLong();
        // -2: no key; -1: a key without TTL (set by hand): treat as banned for the full duration.
        return ttl == -2 ? 0L : ttl == -1 ? durationMs : Math.max(0L, ttl);
    }
}
