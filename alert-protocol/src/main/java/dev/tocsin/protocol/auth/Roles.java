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
    /** Creates alerts and may do everything else. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
