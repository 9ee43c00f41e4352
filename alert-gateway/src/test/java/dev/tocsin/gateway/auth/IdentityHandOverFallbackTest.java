package dev.tocsin.gateway.auth;

import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck.CheckResult;
import io.quarkus.websockets.next.HttpUpgradeCheck.HttpUpgradeContext;
import io.quarkus.websockets.next.UserData;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path a native executable takes (and the JVM, should a Quarkus upgrade remove websockets-next's accessor): the
 * handshake's security state is kept, and the connection still gets its principal and the raw token it forwards to
 * alert-ingest. The context here is not websockets-next's own, so the request is never touched; with release on, the
 * same context shows that a context the accessor cannot read degrades to the fallback instead of failing the upgrade.
 */
class IdentityHandOverFallbackTest {

    private static final String RAW = "header.payload.signature";

    @Test
    void theFallbackHandsOverPrincipalAndTokenAndLeavesTheHandshakeAlone() {
        UpgradeContext context = new UpgradeContext(identity("alice", Set.of("viewer", "oncall")));

        CheckResult result = new IdentityHandOver(new PrincipalResolver(), false).perform(context)
                .await().atMost(Duration.ofSeconds(5));

        assertTrue(result.isUpgradePermitted());
        GatewayPrincipal principal = context.userData().get(IdentityHandOver.PRINCIPAL);
        assertEquals("alice", principal.user());
        assertEquals(Set.of("viewer", "oncall"), principal.groups());
        assertEquals("Bearer " + RAW, context.userData().get(IdentityHandOver.TOKEN).authorizationHeader());
        assertFalse(context.requestRead, "the fallback must not touch the handshake request");
    }

    @Test
    void aContextTheAccessorCannotReadIsUpgradedWithoutRelease() {
        UpgradeContext context = new UpgradeContext(identity("bob", Set.of("operator")));

        CheckResult result = new IdentityHandOver(new PrincipalResolver(), true).perform(context)
                .await().atMost(Duration.ofSeconds(5));

        assertTrue(result.isUpgradePermitted());
        assertEquals("bob", context.userData().get(IdentityHandOver.PRINCIPAL).user());
        assertFalse(context.requestRead);
    }

    @Test
    void anAnonymousHandshakeGetsNoPrincipal() {
        UpgradeContext context = new UpgradeContext(QuarkusSecurityIdentity.builder().setAnonymous(true).build());

        CheckResult result = new IdentityHandOver(new PrincipalResolver(), false).perform(context)
                .await().atMost(Duration.ofSeconds(5));

        assertTrue(result.isUpgradePermitted());
        assertNull(context.userData().get(IdentityHandOver.PRINCIPAL));
        assertEquals(0, context.userData().size());
    }

    private static QuarkusSecurityIdentity identity(String user, Set<String> groups) {
        JwtClaims claims = new JwtClaims();
        claims.setClaim("upn", user);
        claims.setSubject(user);
        claims.setStringListClaim("groups", List.copyOf(groups));
        claims.setExpirationTimeMinutesInTheFuture(10);
        DefaultJWTCallerPrincipal jwt = new DefaultJWTCallerPrincipal(RAW, "JWT", claims);
        return QuarkusSecurityIdentity.builder().setPrincipal(jwt).addRoles(groups).build();
    }

    /** A handshake as {@link HttpUpgradeContext} describes it; records whether the request was read. */
    private static final class UpgradeContext implements HttpUpgradeContext {
        private final QuarkusSecurityIdentity identity;
        private final MapUserData userData = new MapUserData();
        boolean requestRead;

        UpgradeContext(QuarkusSecurityIdentity identity) {
            this.identity = identity;
        }

        @Override
        public UserData userData() {
            return userData;
        }

        @Override
        public String pathParam(String name) {
            return null;
        }

        @Override
        public HttpServerRequest httpRequest() {
            requestRead = true;
            return null;
        }

        @Override
        public Uni<io.quarkus.security.identity.SecurityIdentity> securityIdentity() {
            return Uni.createFrom().item(identity);
        }

        @Override
        public String endpointId() {
            return "alerts";
        }
    }

    private static final class MapUserData implements UserData {
        private final Map<String, Object> values = new HashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public <V> V get(TypedKey<V> key) {
            return (V) values.get(key.value());
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V put(TypedKey<V> key, V value) {
            return (V) values.put(key.value(), value);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <V> V remove(TypedKey<V> key) {
            return (V) values.remove(key.value());
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public void clear() {
            values.clear();
        }
    }
}
