package dev.tocsin.ingest.common.security;

import dev.tocsin.protocol.auth.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/**
 * Who is calling, as the verified JWT says: the user ({@code upn}, else {@code preferred_username}, else
 * {@code sub}) and the {@code groups} claim, which holds roles and audience groups alike.
 */
public record Caller(String user, Set<String> groups) {

    public Caller {
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    public static Caller of(JsonWebToken token) {
        return new Caller(token.getName(), token.getGroups());
    }

    /** Admins see and manage every alert and every user's channels. */
    public boolean isAdmin() {
        return groups.contains(Roles.ADMIN);
    }
}
