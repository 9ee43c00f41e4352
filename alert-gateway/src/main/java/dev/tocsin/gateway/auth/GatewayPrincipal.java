package dev.tocsin.gateway.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who is on the other end of a connection, taken from the JWT at the handshake and kept for the life of the
 * connection (the identity does not change on an open WebSocket).
 *
 * @param user           the JWT {@code upn}, else {@code sub}
 * @param groups         the JWT {@code groups} claim: roles and audience groups (shared between equal sets, see
 *                       {@link GroupSets})
 * @param tokenExpiresAt when the token expires; null when unknown
 */
public record GatewayPrincipal(String user, Set<String> groups, Instant tokenExpiresAt) {

    public GatewayPrincipal {
        groups = groups == null ? Set.of() : GroupSets.shared(groups);
    }
}
