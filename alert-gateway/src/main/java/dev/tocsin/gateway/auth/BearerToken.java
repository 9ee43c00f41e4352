package dev.tocsin.gateway.auth;

/**
 * The raw JWT a connection presented, kept only to forward the user's own credentials to alert-ingest (the gateway
 * never acts with more rights than the user). {@link #toString()} never shows it, so it cannot reach a log line.
 */
public final class BearerToken {

    private final String value;

    public BearerToken(String value) {
        this.value = value;
    }

    /** The {@code Authorization} header value: {@code Bearer <jwt>}. */
    public String authorizationHeader() {
        return "Bearer " + value;
    }

    public boolean isPresent() {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return "BearerToken[***]";
    }
}
