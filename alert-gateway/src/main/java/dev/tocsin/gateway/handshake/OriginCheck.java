package dev.tocsin.gateway.handshake;

import dev.tocsin.gateway.metrics.GatewayMetrics;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses a browser's handshake from an origin that is not in {@code tocsin.gateway.allowed-origins}: 403 with reason
 * {@code origin_not_allowed} (problem body and {@code X-Tocsin-Refusal} header by {@link HandshakeRefusalResponder}).
 * A handshake without {@code Origin} (not a browser) passes, and so does every handshake when no list is configured
 * (the rule is {@link HandshakeRules#origin}). Runs before the admission check, so a refused origin costs no Redis
 * round trip; authentication has already run (a foreign origin without a valid token gets 401).
 */
@ApplicationScoped
@Priority(OriginCheck.PRIORITY)
public class OriginCheck implements HttpUpgradeCheck {

    /** Above the admission check (default priority 0); the higher runs first. */
    static final int PRIORITY = 100;

    private final HandshakeRules rules;
    private final GatewayMetrics metrics;

    OriginCheck(HandshakeRules rules, GatewayMetrics metrics) {
        this.rules = rules;
        this.metrics = metrics;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader(HttpHeaders.ORIGIN);
        HandshakeRefusedException refusal = rules.origin(origin);
        if (refusal == null) {
            return CheckResult.permitUpgrade();
        }
        metrics.handshakeRefused(refusal.reason());
        Log.debugf("Refused a handshake from origin %s", origin);
        return Uni.createFrom().failure(refusal);
    }
}
