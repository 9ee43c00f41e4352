package dev.tocsin.ingest.common.validation;

/**
 * A group name as it appears in the JWT {@code groups} claim: starts with a letter or digit, then letters,
 * digits and {@code _ . : @ / -}; at most 128 characters, no spaces. Alerts name one to escalate to, users are
 * members of some.
 */
public final class GroupNames {

    public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,127}$";
    public static final String MESSAGE =
            "must be a group name: a letter or digit, then letters, digits, '_', '.', ':', '@', '/' or '-' (at most 128)";

    private GroupNames() {
    }
}
