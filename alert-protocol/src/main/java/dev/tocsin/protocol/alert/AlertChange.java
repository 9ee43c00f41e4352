package dev.tocsin.protocol.alert;

/**
 * What the latest write to an alert did. alert-ingest stores it in the alert, so a change event (which carries
 * the whole document, not a diff) says why it happened, and the gateway can tell an acknowledgment from an edit.
 */
public enum AlertChange {
    CREATED,
    /** Edited: title, message, priority, risk, location, expiry or metadata changed. */
    UPDATED,
    ACKNOWLEDGED,
    /** The acknowledgment was taken back (by the acknowledger or an admin): the alert is unacknowledged again. */
    UNACKNOWLEDGED,
    CLEARED,
    EXPIRED,
    RESOLVED,
    RETRACTED,
    /** Assigned to a user or group, or the assignment was taken back ({@code assignee} null then). */
    ASSIGNED,
    /** A note was added: the event carries it ({@code AlertEvent.note}); the gateway sends {@code alert_note}. */
    NOTED
}
