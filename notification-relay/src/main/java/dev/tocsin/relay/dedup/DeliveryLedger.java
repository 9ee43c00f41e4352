package dev.tocsin.relay.dedup;

import dev.tocsin.relay.config.RelayConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.UUID;

/**
 * Makes each push happen once per (alert, step, user, channel[, token]) across event replays, restarts and replicas.
 * Before sending, a replica claims the delivery key with {@code SET NX PX <claim-ttl>}; after the outcome is
 * recorded it overwrites the key with {@code done:<outcome>} for the state TTL. A replica that crashes mid-send
 * leaves only an expiring claim: once it lapses, the next run of the step sends exactly the unfinished deliveries.
 */
@Singleton
public class DeliveryLedger {

    /** What a claim attempt found. */
    public enum Claim {
        /** This replica owns the delivery now and must send it. */
        OWNED,
        /** Sent (or deliberately skipped) before: nothing to do. */
        DONE,
        /** Another replica is sending it right now (or died doing so and its claim has not lapsed). */
        BUSY
    }

    private final ReactiveRedisDataSource redis;
    private final RelayConfig.Schedule config;
    private final String owner = UUID.randomUUID().toString();

    public DeliveryLedger(ReactiveRedisDataSource redis, RelayConfig config) {
        this.redis = redis;
        this.config = config.schedule();
    }

    public Uni<Claim> claim(String key) {
        return redis.execute("SET", key, "claimed:" + owner, "NX", "PX", Long.toString(config.claimTtl().toMillis()))
                .chain(set -> {
                    if (set != null && "OK".equals(set.toString())) {
                        return Uni.createFrom().item(Claim.OWNED);
                    }
                    return redis.execute("GET", key).map(value -> {
                        if (value == null) {
                            return Claim.BUSY; // lapsed between the two commands: look again on the next run
                        }
                        return value.toString().startsWith("done:") ? Claim.DONE : Claim.BUSY;
                    });
                });
    }

    public Uni<Void> done(String key, String outcome) {
        return redis.execute("SET", key, "done:" + outcome, "PX", Long.toString(config.stateTtl().toMillis()))
                .replaceWithVoid();
    }
}
