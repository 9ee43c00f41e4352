package dev.tocsin.protocol.message;

/**
 * WebSocket close codes the gateway uses. 4000-4499: the client should reconnect (with backoff, and
 * {@code sync} from its last sequence); 4500-4999: it should not reconnect without fixing something first.
 */
public enum CloseCode {
    /** The server is shutting down or draining: reconnect, another replica will serve you. */
    SHUTDOWN(4000, true),
    /** The client missed heartbeats. */
    HEARTBEAT_TIMEOUT(4001, true),
    /** The client did not read fast enough and its outbound queue stayed full: reconnect and sync. */
    SLOW_CONSUMER(4002, true),
    /** The token expired during the session: reconnect with a fresh token. */
    TOKEN_EXPIRED(4003, true),
    /** The token is invalid or the user is not allowed here. */
    UNAUTHORIZED(4500, false),
    /** The user is temporarily banned after repeated violations. */
    BANNED(4501, false),
    /** The client broke the protocol beyond recovery. */
    PROTOCOL_VIOLATION(4502, false);

    private final int code;
    private final boolean reconnect;

    CloseCode(int code, boolean reconnect) {
        this.code = code;
        this.reconnect = reconnect;
    }

    public int code() {
        return code;
    }

    /** Whether the client should reconnect. */
    public boolean reconnect() {
        return reconnect;
    }
}
