package dev.tocsin.protocol.delivery;

/** The result of one delivery. On the wire the lower-case name. */
public enum DeliveryOutcome {
    /** Accepted by the channel (written to the socket, accepted by Telegram or FCM). */
    DELIVERED,
    /** Failed for good on this attempt and will not be retried (for example an unregistered FCM token). */
    FAILED,
    /** All attempts used up; the delivery went to the dead-letter stream. */
    DEAD_LETTER,
    /** Deliberately not sent (quiet hours, below the user's minimum priority, no channel). */
    SKIPPED
}
