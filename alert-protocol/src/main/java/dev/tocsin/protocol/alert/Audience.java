package dev.tocsin.protocol.alert;

import java.util.Collection;
import java.util.Set;

/**
 * Who may see an alert: everyone, or the listed users and the members of the listed groups.
 * An audience that is not {@code everyone} and lists nobody reaches nobody (never "everyone by accident").
 */
public record Audience(boolean everyone, Set<String> users, Set<String> groups) {

    public static final Audience EVERYONE = new Audience(true, Set.of(), Set.of());

    public Audience {
        users = users == null ? Set.of() : Set.copyOf(users);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    public static Audience of(Collection<String> users, Collection<String> groups) {
        return new Audience(false, users == null ? Set.of() : Set.copyOf(users),
                groups == null ? Set.of() : Set.copyOf(groups));
    }

    /** Whether a user with these groups is addressed by this audience. */
    public boolean includes(String user, Set<String> userGroups) {
        if (everyone) {
            return true;
        }
        if (user != null && users.contains(user)) {
            return true;
        }
        if (userGroups != null && !groups.isEmpty()) {
            for (String group : userGroups) {
                if (groups.contains(group)) {
                    return true;
                }
            }
        }
        return false;
    }
}
