package dev.tocsin.protocol.auth;

/**
 * The role names Tocsin reads from a JWT's {@code groups} claim (beside audience group names): one spelling for
 * every service, because the same token is checked by each of them.
 */
public final class Roles {

    /** Sees and acknowledges the alerts addressed to them. */
    public static final String VIEWER = "viewer";
    /** A viewer who may also clear alerts and read delivery records. */
    public static final String OPERATOR = "operator";
    /**
     * A producer (sensor, service): creates alerts, reads, edits and retracts the ones it created, and nothing else;
     * without a viewing role beside it, it neither lists alerts nor connects to the WebSocket.
     */
    public static final String PUBLISHER = "publisher";
    /** Creates alerts and may do everything else. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
