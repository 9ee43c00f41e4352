package dev.tocsin.gateway.handshake;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.drain.DrainState;
import dev.tocsin.gateway.presence.PresenceStore;
import dev.tocsin.gateway.ratelimit.BanStore;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;

/**
 * The gateway's own handshake rules, one decision each, asked by the {@code HttpUpgradeCheck}s of a real handshake
 * ({@link OriginCheck}, {@link AdmissionCheck}) and by the diagnosis endpoint {@code GET /ws/alerts/check}
 * ({@link HandshakeCheckRoute}), so both always answer the same. Authentication and the role check are not here: both
 * paths lie under the same HTTP permission policy ({@code /ws/*}), which decides them before any of these rules runs.
 *
 * <p>A decision is {@code null} (admitted) or the refusal the client is told. The rules only decide: counting and
 * answering is the caller's job (a diagnosis is no refused handshake and is not counted as one). Reading them costs
 * no write: the check endpoint asks them without registering a connection.
 */
@ApplicationScoped
public class HandshakeRules {

    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    private final AllowedOrigins origins;
    private final DrainState drain;
    private final BanStore bans;
    private final PresenceStore presence;
    private final ReactiveRedisDataSource redis;
    private final int maxConnections;

    HandshakeRules(GatewayConfig config, DrainState drain, BanStore bans, PresenceStore presence,
            ReactiveRedisDataSource redis) {
        this.origins = new AllowedOrigins(config.allowedOrigins());
        this.drain = drain;
        this.bans = bans;
        this.presence = presence;
        this.redis = redis;
        this.maxConnections = config.maxConnectionsPerUser();
    }

    /**
     * The origin allowlist: a browser's handshake from an origin not in {@code tocsin.gateway.allowed-origins} is
     * refused with 403 {@code origin_not_allowed}; no {@code Origin} (not a browser) or no list passes.
     */
    public HandshakeRefusedException origin(String origin) {
        if (origins.admits(origin)) {
            return null;
        }
        return new HandshakeRefusedException(403, "origin_not_allowed",
                "this origin may not open the alert WebSocket", null);
    }

    /** Draining (shutting down): 503 {@code draining}, retry after 1 s to reach another replica. */
    public HandshakeRefusedException drain() {
        if (!drain.draining()) {
            return null;
        }
        return new HandshakeRefusedException(503, "draining",
                "this gateway is shutting down; connect again to reach another one", 1L);
    }

    /**
     * Admission of an authenticated user, from Redis: a ban (403 {@code banned} with the seconds it still lasts), then
     * the connection limit across all replicas (429 {@code too_many_connections}). Reads only, in one round trip. When
     * Redis does not answer in time the user is admitted: delivering alerts matters more than enforcing a limit for
     * the few seconds of an outage ({@link Admission#unchecked()}).
     */
    public Uni<Admission> admission(String user) {
        // Both reads in one pipelined batch: one round trip and one write per handshake instead of two; the limit's
        // count is read even for a banned user, which costs Redis less than a second round trip costs the gateway.
        return redis.getRedis().batch(List.of(bans.remainingMsRequest(user), presence.liveRequest(user)))
                .map(answers -> decide(bans.remainingMs(answers.get(0)), PresenceStore.live(answers.get(1))))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Admission check could not read Redis (%s): admitting", failure.toString());
                    return Admission.UNCHECKED;
                });
    }

    /** A ban first, then the connection limit. */
    private Admission decide(long banMs, long live) {
        if (banMs > 0) {
            long seconds = Math.max(1, (banMs + 999) / 1000);
            return Admission.refused(new HandshakeRefusedException(403, "banned",
                    "temporarily banned after repeated rate-limit violations; retry in " + seconds + " s", seconds));
        }
        if (live >= maxConnections) {
            return Admission.refused(new HandshakeRefusedException(429, "too_many_connections",
                    "at most " + maxConnections + " connections per user; close one first", null));
        }
        return Admission.ADMITTED;
    }

    /**
     * The admission decision.
     *
     * @param refusal   null when admitted
     * @param unchecked admitted because Redis could not be read
     */
    public record Admission(HandshakeRefusedException refusal, boolean unchecked) {

        static final Admission ADMITTED = new Admission(null, false);
        static final Admission UNCHECKED = new Admission(null, true);

        static Admission refused(HandshakeRefusedException refusal) {
            return new Admission(refusal, false);
        }
    }
}
