package dev.tocsin.protocol.alert;

/** Life cycle of an alert. On the wire the lower-case name. */
public enum AlertStatus {
    /** Current: delivered, escalated while unacknowledged. */
    ACTIVE,
    /** Cleared by an operator or admin; no longer escalated. */
    CLEARED,
    /** Past its {@code expiresAt}; no longer escalated. */
    EXPIRED
}
