package dev.tocsin.gateway.handshake;

import dev.tocsin.gateway.auth.GatewayPrincipal;
import dev.tocsin.gateway.auth.IdentityHandOver;
import dev.tocsin.gateway.auth.PrincipalResolver;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Admits a WebSocket handshake only while the gateway is not draining (503, reason {@code draining}) and for users who
 * are not banned (403, reason {@code banned}) and hold fewer than {@code max-connections-per-user} live connections
 * across all replicas (429, reason {@code too_many_connections}); the rules are {@link HandshakeRules#drain} and
 * {@link HandshakeRules#admission}, shared with {@code GET /ws/alerts/check}. Authentication is not decided here: an
 * anonymous handshake passes this check and is refused by the security check.
 *
 * <p>When Redis does not answer in time, the handshake is admitted: delivering alerts matters more than enforcing a
 * limit for the few seconds of an outage (logged and counted as {@code unchecked}).
 */
@ApplicationScoped
public class AdmissionCheck implements HttpUpgradeCheck {

    private final PrincipalResolver principals;
    private final HandshakeRules rules;
    private final GatewayMetrics metrics;

    AdmissionCheck(PrincipalResolver principals, HandshakeRules rules, GatewayMetrics metrics) {
        this.principals = principals;
        this.rules = rules;
        this.metrics = metrics;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HandshakeRefusedException draining = rules.drain();
        if (draining != null) {
            // Shutting down: the client should go to another replica at once.
            return refuse(draining);
        }
        Uni<io.quarkus.security.identity.SecurityIdentity> identity = context.securityIdentity();
        if (identity == null) {
            return CheckResult.permitUpgrade();
        }
        return identity.flatMap(id -> {
            Optional<GatewayPrincipal> principal = IdentityHandOver.principalOf(context, id, principals);
            return principal.isEmpty() ? CheckResult.permitUpgrade() : admit(principal.get().user());
        });
    }

    private Uni<CheckResult> admit(String user) {
        return rules.admission(user).flatMap(admission -> {
            if (admission.refusal() != null) {
                return refuse(admission.refusal());
            }
            if (admission.unchecked()) {
                metrics.handshakeRefused("unchecked");
            }
            return CheckResult.permitUpgrade();
        });
    }

    private Uni<CheckResult> refuse(HandshakeRefusedException refusal) {
        metrics.handshakeRefused(refusal.reason());
        return Uni.createFrom().failure(refusal);
    }
}
