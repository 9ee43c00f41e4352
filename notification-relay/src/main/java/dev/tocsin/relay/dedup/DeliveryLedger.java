package dev.tocsin.relay.dedup;

import dev.tocsin.relay.config.RelayConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes each push happen once per (alert, step, user, channel[, token]) across event replays, restarts and replicas.
 * Before sending, a replica claims the delivery key with {@code SET NX PX <claim-ttl>}; after the outcome is
 * recorded it overwrites the key with {@code done:<outcome>} for the state TTL. A replica that crashes mid-send
 * leaves only an expiring claim: once it lapses, the next run of the step sends exactly the unfinished deliveries.
 * <p>
 * A replica whose own attempt failed without finishing (Redis failed over or went away between the claim and the
 * outcome) does not wait for its claim to lapse: it {@link #release releases} the key locally, and its next claim
 * of a key that Redis shows as claimed by this replica but that no attempt of this replica holds takes it up again.
 * Waiting out the claim TTL (15 minutes) would delay that user's push by as much after every Redis failover.
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
    /** Keys this replica is sending right now: its claims in Redis that are not stale. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public DeliveryLedger(ReactiveRedisDataSource redis, RelayConfig config) {
        this.redis = redis;
        this.config = config.schedule();
    }

    public Uni<Claim> claim(String key) {
        return redis.execute("SET", key, "claimed:" + owner, "NX", "PX", Long.toString(config.claimTtl().toMillis()))
                .chain(set -> {
                    if (set != null && "OK".equals(set.toString())) {
                        inFlight.add(key);
                        return Uni.createFrom().item(Claim.OWNED);
                    }
                    return redis.execute("GET", key).map(value -> {
                        if (value == null) {
                            return Claim.BUSY; // lapsed between the two commands: look again on the next run
                        }
                        String held = value.toString();
                        if (held.startsWith("done:")) {
                            return Claim.DONE;
                        }
                        // this replica's own claim from an attempt that failed: take it up again (once at a time)
                        return held.equals("claimed:" + owner) && inFlight.add(key) ? Claim.OWNED : Claim.BUSY;
                    });
                });
    }

    public Uni<Void> done(String key, String outcome) {
        return redis.execute("SET", key, "done:" + outcome, "PX", Long.toString(config.stateTtl().toMillis()))
                .invoke(() -> inFlight.remove(key))
                .replaceWithVoid();
    }

    /**
     * This replica's attempt on {@code key} ended without an outcome marked done (it failed): its claim in Redis, if
     * the claim was stored, may be taken up again by this replica's next {@link #claim}.
     */
    public void release(String key) {
        inFlight.remove(key);
    }
}
