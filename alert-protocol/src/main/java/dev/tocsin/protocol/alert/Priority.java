package dev.tocsin.protocol.alert;

/**
 * How urgent an alert is. On the wire the lower-case name ({@code critical}, ...).
 * Declared from most to least urgent: {@link #ordinal()} is the urgency rank.
 */
public enum Priority {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW,
    INFO;

    /** True when this priority is at least as urgent as {@code other}. */
    public boolean atLeast(Priority other) {
        return ordinal() <= other.ordinal();
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
