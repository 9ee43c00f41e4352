package dev.tocsin.protocol.quarkus.auth;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses a JWT whose {@code iat} (issued at) lies further in the future than the clock-skew allowance: such a token
 * was minted by an issuer whose clock is wrong, or minted ahead to outlive a revocation, and must not authenticate.
 * The authentication fails ({@link AuthenticationFailedException}), so the caller gets 401 like for an expired token:
 * at the gateway's WebSocket handshake and on alert-ingest's REST API alike, because both services have this module.
 *
 * <p>Why here: smallrye-jwt (through jose4j) refuses an {@code nbf} beyond the allowance and an {@code exp} before it,
 * but only requires {@code iat} to be present, whatever its value. This augmentor runs right after smallrye-jwt
 * verified the token (signature, issuer, {@code exp}, {@code nbf}) and reads the verified claims. The allowance is the
 * one smallrye-jwt applies: {@code mp.jwt.verify.clock.skew} (seconds, default 60), or the deprecated
 * {@code smallrye.jwt.expiration.grace} when that is set above 0, as smallrye-jwt does.
 *
 * <p>Identities that are not JWTs (anonymous requests, a service without JWT authentication) pass unchanged.
 */
@ApplicationScoped
public class FutureTokenRefusal implements SecurityIdentityAugmentor {

    /** Runs before other augmentors: a refused token needs no further work. */
    static final int PRIORITY = 1000;

    private final int allowanceSeconds;

    FutureTokenRefusal(@ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") int clockSkew,
            @ConfigProperty(name = "smallrye.jwt.expiration.grace", defaultValue = "0") int expirationGrace) {
        this.allowanceSeconds = expirationGrace > 0 ? expirationGrace : Math.max(0, clockSkew);
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        long nowSeconds = System.currentTimeMillis() / 1000;
        if (issuedInTheFuture(token.getIssuedAtTime(), nowSeconds, allowanceSeconds)) {
            Log.debugf("Refused a token of %s issued %d s in the future (allowance %d s)", token.getName(),
                    token.getIssuedAtTime() - nowSeconds, allowanceSeconds);
            return Uni.createFrom().failure(new AuthenticationFailedException("token issued in the future"));
        }
        return Uni.createFrom().item(identity);
    }

    /**
     * Whether a token issued at {@code issuedAtSeconds} (epoch seconds; 0 when the claim is absent) lies beyond the
     * allowance: a token issued exactly {@code allowanceSeconds} ahead still passes, like jose4j's {@code nbf} rule.
     */
    static boolean issuedInTheFuture(long issuedAtSeconds, long nowSeconds, int allowanceSeconds) {
        return issuedAtSeconds > 0 && issuedAtSeconds > nowSeconds + allowanceSeconds;
    }
}
