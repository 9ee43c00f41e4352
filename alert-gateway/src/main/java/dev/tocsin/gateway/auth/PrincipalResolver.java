package dev.tocsin.gateway.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.security.Principal;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Turns the identity Quarkus established for the handshake into the gateway's {@link GatewayPrincipal}. */
@ApplicationScoped
public class PrincipalResolver {

    /** The principal of an authenticated identity; empty for an anonymous one. */
    public Optional<GatewayPrincipal> resolve(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        Principal principal = identity.getPrincipal();
        if (principal instanceof JsonWebToken jwt) {
            String user = firstNonBlank(jwt.getClaim("upn"), jwt.getSubject(), jwt.getName());
            if (user == null) {
                return Optional.empty();
            }
            Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
            Instant expiresAt = jwt.getExpirationTime() > 0 ? Instant.ofEpochSecond(jwt.getExpirationTime()) : null;
            return Optional.of(new GatewayPrincipal(user, groups, expiresAt));
        }
        // Not a JWT (another mechanism configured later): fall back to the generic identity.
        String user = principal == null ? null : principal.getName();
        return user == null || user.isBlank() ? Optional.empty()
                : Optional.of(new GatewayPrincipal(user, identity.getRoles(), null));
    }

    /** The raw token behind an identity, for forwarding; absent when the identity is not a JWT. */
    public BearerToken rawToken(SecurityIdentity identity) {
        if (identity != null && identity.getPrincipal() instanceof JsonWebToken jwt) {
            return new BearerToken(jwt.getRawToken());
        }
        return new BearerToken(null);
    }

    private static String firstNonBlank(Object... candidates) {
        for (Object candidate : candidates) {
            if (candidate != null && !candidate.toString().isBlank()) {
                return candidate.toString();
            }
        }
        return null;
    }
}
