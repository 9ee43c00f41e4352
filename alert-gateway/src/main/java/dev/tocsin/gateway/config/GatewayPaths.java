package dev.tocsin.gateway.config;

/** Where the gateway serves what; one place for the endpoint, the token filter and the handshake's refusal answers. */
public final class GatewayPaths {

    /** The alert WebSocket. */
    public static final String ALERTS = "/ws/alerts";

    private GatewayPaths() {
    }
}
