package dev.tocsin.protocol.alert;

/** Life cycle of an alert. On the wire the lower-case name. */
public enum AlertStatus {
    /** Current: delivered, escalated while unacknowledged. */
    ACTIVE,
    /** Cleared by an operator or admin; no longer escalated. */
    CLEARED,
    /** Past its {@code expiresAt}; no longer escalated. */
    EXPIRED,
    /** The problem is over (an operator or admin said so); no longer escalated. Unlike cleared, it is an outcome. */
    RESOLVED,
    /**
     * Sent by mistake and withdrawn by an admin: kept (with its timeline) for admins only, gone for everyone else;
     * clients receive {@code alert_update} {@code deleted}.
     */
    RETRACTED
}
