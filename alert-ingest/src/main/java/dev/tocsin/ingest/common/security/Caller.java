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

    /** Viewers, operators and admins read the alerts addressed to them; a publisher alone reads only its own. */
    public boolean isReader() {
        return groups.contains(Roles.VIEWER) || groups.contains(Roles.OPERATOR) || isAdmin();
    }

    /** Publishers create alerts and read, edit and retract those they created. */
    public boolean isPublisher() {
        return groups.contains(Roles.PUBLISHER);
    }

    /** True when the caller names a user and that user created the alert ({@code createdBy}). */
    public boolean created(String createdBy) {
        return user != null && !user.isBlank() && user.equals(createdBy);
    }

    /** Admins see and manage every alert and every user's channels. */
    public boolean isAdmin() {
        return groups.contains(Roles.ADMIN);
    }
}
