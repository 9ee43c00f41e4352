package dev.tocsin.protocol.message;

/**
 * Stable codes of the {@code error} message. On the wire the lower-case name. The connection stays open after
 * every one of them; {@code docs/protocol.md} documents each.
 */
public enum ErrorCode {
    /** The frame is not valid JSON. */
    MALFORMED_JSON,
    /** The {@code type} is missing or not one this protocol version knows. */
    UNKNOWN_TYPE,
    /** A field is missing, of the wrong type or out of range. */
    INVALID_MESSAGE,
    /** The frame is larger than the configured maximum. */
    FRAME_TOO_LARGE,
    /** The caller's role does not allow this request. */
    FORBIDDEN,
    /** The named alert does not exist. */
    UNKNOWN_ALERT,
    /**
     * The alert's state does not allow the request: it is no longer active (assign), expired or retracted
     * (resolve, unack, note), or holds the most notes it may (note).
     */
    CONFLICT,
    /** Too many requests; see {@code rate_limit_warning}. */
    RATE_LIMITED,
    /** A service the request needs is unreachable; retry later. */
    UNAVAILABLE,
    /** The server could not complete the request; retrying later may help. */
    INTERNAL
}
