package dev.tocsin.protocol.alert;

import java.util.Locale;

/**
 * Who an alert is assigned to: one user (by the name tokens carry, {@code upn}/{@code sub}) or one group (as tokens
 * carry it in {@code groups}). On the wire {@code {"kind": "user", "id": "alice"}}.
 *
 * @param kind user or group
 * @param id   the user's name or the group's name
 */
public record Assignee(Kind kind, String id) {

    /** Whether the assignee is one user or a group. */
    public enum Kind {
        USER,
        GROUP;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Assignee user(String id) {
        return new Assignee(Kind.USER, id);
    }

    public static Assignee group(String id) {
        return new Assignee(Kind.GROUP, id);
    }
}
