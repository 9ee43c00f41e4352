package dev.tocsin.gateway.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * The last check of a WebSocket handshake, after authentication, the role check and admission: it hands the
 * connection what it needs of the caller (the principal, and the raw token for forwarding acks to alert-ingest) in
 * its user data, then lets go of the handshake's security state.
 *
 * <p>Why: websockets-next keeps the handshake's {@code SecurityIdentity} and routing context (request, response,
 * headers, the parsed JWT with its claims) for the life of every connection when the request still carries a user,
 * about 4.4 KiB of heap per idle connection, a third of all it costs. The gateway needs none of it after the upgrade:
 * roles were checked at the handshake, the token's expiry is enforced by the heartbeat, and the principal is a small
 * record. So the user, the deferred identity and the {@code Authorization} header are removed from the routing
 * context here, and websockets-next attaches no security state to the connection. Callbacks then cannot inject
 * {@code SecurityIdentity}; they read the {@code Session}'s principal.
 *
 * <p>The routing context is read from websockets-next's upgrade context through its record accessor, looked up once
 * (the class is not public); if a Quarkus upgrade removes it, nothing is released, a warning is logged once and
 * everything works as before, only heavier ({@code IdentityHandOverTest} fails first).
 *
 * <p>A native executable takes that same fallback on purpose: the class is not looked up ({@code Class.forName} and
 * the private accessor would need reflection registration of websockets-next internals), so each connection keeps
 * its handshake state there. The package-private constructor forces the fallback ({@code IdentityHandOverFallbackTest}).
 */
@ApplicationScoped
@Priority(IdentityHandOver.PRIORITY)
public class IdentityHandOver implements HttpUpgradeCheck {

    /** Low: runs after every other check (the security check runs at {@code Integer.MAX_VALUE - 100}). */
    static final int PRIORITY = 1;

    public static final TypedKey<GatewayPrincipal> PRINCIPAL = new TypedKey<>("tocsin.principal");
    public static final TypedKey<BearerToken> TOKEN = new TypedKey<>("tocsin.token");

    /**
     * What {@code org.graalvm.nativeimage.ImageInfo.inImageCode()} reads (that API is not on the class path): set
     * while native-image builds the executable and in the executable itself.
     */
    private static final boolean IN_NATIVE_IMAGE = System.getProperty("org.graalvm.nativeimage.imagecode") != null;

    /** Null in a native executable (see above) or when this Quarkus version has no such accessor. */
    private static final MethodHandle ROUTING_CONTEXT = IN_NATIVE_IMAGE ? null : resolve();

    private final PrincipalResolver principals;
    private final boolean release;

    @Inject
    IdentityHandOver(PrincipalResolver principals) {
        this(principals, releases());
    }

    /** {@code release} false: the handshake's state is kept, as in a native executable. */
    IdentityHandOver(PrincipalResolver principals, boolean release) {
        this.principals = principals;
        this.release = release;
    }

    /** Whether the handshake's security state can be released: with this Quarkus version, and not natively. */
    public static boolean releases() {
        return ROUTING_CONTEXT != null;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        Uni<SecurityIdentity> identity = context.securityIdentity();
        if (identity == null) {
            return CheckResult.permitUpgrade();
        }
        return identity.map(id -> {
            if (principalOf(context, id, principals).isPresent()) {
                context.userData().put(TOKEN, principals.rawToken(id));
                if (release) {
                    release(context);
                }
            }
            return CheckResult.permitUpgradeSync();
        });
    }

    /**
     * The handshake's principal, read from the token's claims once per handshake: whichever check asks first (this
     * one or admission) resolves it and keeps it in the user data, where the connection picks it up.
     */
    public static Optional<GatewayPrincipal> principalOf(HttpUpgradeContext context, SecurityIdentity identity,
            PrincipalResolver principals) {
        GatewayPrincipal known = context.userData().get(PRINCIPAL);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<GatewayPrincipal> resolved = principals.resolve(identity);
        resolved.ifPresent(principal -> context.userData().put(PRINCIPAL, principal));
        return resolved;
    }

    private static void release(HttpUpgradeContext context) {
        RoutingContext routing = routingContext(context);
        if (routing == null) {
            return;
        }
        routing.setUser(null);
        routing.remove(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        routing.request().headers().remove(HttpHeaders.AUTHORIZATION);
    }

    private static RoutingContext routingContext(HttpUpgradeContext context) {
        if (ROUTING_CONTEXT == null) {
            return null;
        }
        try {
            return (RoutingContext) ROUTING_CONTEXT.invoke(context);
        } catch (Throwable e) {
            return null;
        }
    }

    private static MethodHandle resolve() {
        try {
            Class<?> type = Class.forName("io.quarkus.websockets.next.runtime.HttpUpgradeContextImpl", false,
                    HttpUpgradeCheck.class.getClassLoader());
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                    .findVirtual(type, "routingContext", MethodType.methodType(RoutingContext.class))
                    .asType(MethodType.methodType(RoutingContext.class, HttpUpgradeContext.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Log.warnf("Cannot release the handshake's security state with this Quarkus version (%s): each connection "
                    + "keeps it, about 4 KiB more heap", e.toString());
            return null;
        }
    }
}
