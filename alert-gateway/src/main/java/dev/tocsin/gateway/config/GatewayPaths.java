package dev.tocsin.gateway.config;

/** Where the gateway serves what; one place for the endpoint, the token filter and the handshake's refusal answers. */
public final class GatewayPaths {

    /** The alert WebSocket. */
    public static final String ALERTS = "/ws/alerts";

    /**
     * Why a handshake would be refused: {@code GET} with the handshake's token answers 204 or the refusal the
     * handshake would get now. Under {@code /ws/*}, so the handshake's HTTP permission policy applies to it too.
     */
    public static final String ALERTS_CHECK = "/ws/alerts/check";

    private GatewayPaths() {
    }
}
