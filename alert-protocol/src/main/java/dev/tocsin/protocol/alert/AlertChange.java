package dev.tocsin.protocol.alert;

/**
 * What the latest write to an alert did. alert-ingest stores it in the alert, so a change event (which carries
 * the whole document, not a diff) says why it happened, and the gateway can tell an acknowledgment from an edit.
 */
public enum AlertChange {
    CREATED,
    UPDATED,
    ACKNOWLEDGED,
    CLEARED,
    EXPIRED
}
