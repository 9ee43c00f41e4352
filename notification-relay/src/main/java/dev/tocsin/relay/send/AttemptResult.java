package dev.tocsin.relay.send;

import java.time.Duration;

/** What one HTTP attempt of a push came to. Details are short, fixed, secret-free codes (never response bodies). */
public sealed interface AttemptResult {

    /** Accepted by the channel. */
    record Delivered() implements AttemptResult {
    }

    /**
     * Refused for good; retrying cannot help.
     *
     * @param tokenDead the FCM registration token is unregistered or invalid and must be removed
     */
    record Rejected(String detail, boolean tokenDead) implements AttemptResult {
    }

    /**
     * Failed for now (429, 5xx, timeout, connection error).
     *
     * @param retryAfter the wait the server asked for, or null
     */
    record Retryable(String detail, Duration retryAfter) implements AttemptResult {
    }
}
