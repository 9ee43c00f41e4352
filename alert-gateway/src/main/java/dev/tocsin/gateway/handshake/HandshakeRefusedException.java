package dev.tocsin.gateway.handshake;

/**
 * An admission check refused a WebSocket handshake. Carries what the client is told (status, a stable reason and a
 * human detail) and is turned into an HTTP problem response by {@link HandshakeRefusalResponder}. No stack trace.
 */
public final class HandshakeRefusedException extends RuntimeException {

    private final int status;
    private final String reason;
    private final Long retryAfterSeconds;

    public HandshakeRefusedException(int status, String reason, String detail, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** Stable, machine-readable: {@code banned}, {@code too_many_connections}, {@code draining}, {@code origin_not_allowed}. */
    public String reason() {
        return reason;
    }

    /** When the client may try again, or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
