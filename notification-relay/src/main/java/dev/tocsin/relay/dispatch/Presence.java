package dev.tocsin.relay.dispatch;

import dev.tocsin.relay.redis.RelayKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Whether a user has a live WebSocket session: the gateway keeps a sorted set per user whose scores are the
 * expiry times (epoch ms) of the user's sessions; the user is online while any score lies in the future.
 */
@Singleton
public class Presence {

    private final ReactiveRedisDataSource redis;
    private final RelayKeys keys;

    public Presence(ReactiveRedisDataSource redis, RelayKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    public Uni<Boolean> isOnline(String user) {
        return redis.execute("ZCOUNT", keys.shared().presence(user), Long.toString(System.currentTimeMillis()), "+inf")
                .map(count -> count != null && count.toLong() > 0);
    }
}
