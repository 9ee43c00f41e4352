package dev.tocsin.gateway.auth;

/** Role names carried in the JWT {@code groups} claim (next to audience group names). */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
