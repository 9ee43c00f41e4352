package dev.tocsin.gateway.handshake;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.auth.PrincipalResolver;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.drain.DrainState;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.presence.PresenceStore;
import dev.tocsin.gateway.ratelimit.BanStore;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;

/**
 * Admits a WebSocket handshake only for users who are not banned (403, reason {@code banned}) and hold fewer than
 * {@code max-connections-per-user} live connections across all replicas (429, reason {@code too_many_connections}).
 * Both facts live in Redis and are read with the reactive client. Authentication is not decided here: an anonymous
 * handshake passes this check and is refused by the security check.
 *
 * <p>When Redis does not answer in time, the handshake is admitted: delivering alerts matters more than enforcing a
 * limit for the few seconds of an outage (logged and counted as {@code unchecked}).
 */
@ApplicationScoped
public class AdmissionCheck implements HttpUpgradeCheck {

    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    private final PrincipalResolver principals;
    private final BanStore bans;
    private final PresenceStore presence;
    private final GatewayMetrics metrics;
    private final int maxConnections;
    private final DrainState drain;

    AdmissionCheck(PrincipalResolver principals, BanStore bans, PresenceStore presence, GatewayMetrics metrics,
            GatewayConfig config, DrainState drain) {
        this.drain = drain;
        this.principals = principals;
        this.bans = bans;
        this.presence = presence;
        this.metrics = metrics;
        this.maxConnections = config.maxConnectionsPerUser();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (drain.draining()) {
            // Shutting down: the client should go to another replica at once.
            metrics.handshakeRefused("draining");
            return Uni.createFrom().failure(new HandshakeRefusedException(503, "draining",
                    "this gateway is shutting down; connect again to reach another one", 1L));
        }
        Uni<io.quarkus.security.identity.SecurityIdentity> identity = context.securityIdentity();
        if (identity == null) {
            return CheckResult.permitUpgrade();
        }
        return identity.flatMap(id -> {
            Optional<GatewayPrincipal> principal = principals.resolve(id);
            return principal.isEmpty() ? CheckResult.permitUpgrade() : admit(principal.get().user());
        });
    }

    private Uni<CheckResult> admit(String user) {
        return bans.remainingMs(user)
                .flatMap(banMs -> {
                    if (banMs > 0) {
                        metrics.handshakeRefused("banned");
                        long seconds = Math.max(1, (banMs + 999) / 1000);
                        return Uni.createFrom().<CheckResult>failure(new HandshakeRefusedException(403, "banned",
                                "temporarily banned after repeated rate-limit violations; retry in " + seconds + " s",
                                seconds));
                    }
                    return presence.live(user).flatMap(live -> {
                        if (live >= maxConnections) {
                            metrics.handshakeRefused("too_many_connections");
                            return Uni.createFrom().<CheckResult>failure(new HandshakeRefusedException(429,
                                    "too_many_connections", "at most " + maxConnections
                                    + " connections per user; close one first", null));
                        }
                        return CheckResult.permitUpgrade();
                    });
                })
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure(failure -> !(failure instanceof HandshakeRefusedException)).recoverWithUni(failure -> {
                    metrics.handshakeRefused("unchecked");
                    Log.warnf("Admission check for a handshake could not read Redis (%s): admitting", failure.toString());
                    return CheckResult.permitUpgrade();
                });
    }
}
