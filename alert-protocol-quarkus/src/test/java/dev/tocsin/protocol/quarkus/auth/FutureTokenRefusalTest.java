package dev.tocsin.protocol.quarkus.auth;

import org.junit.jupiter.api.Test;

import static dev.tocsin.protocol.quarkus.auth.FutureTokenRefusal.issuedInTheFuture;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule of {@link FutureTokenRefusal}; the services' tests prove the 401 it leads to (gateway handshake, ingest
 * REST) with real signed tokens.
 */
class FutureTokenRefusalTest {

    private static final long NOW = 1_800_000_000L;

    @Test
    void aTokenIssuedWithinTheAllowancePasses() {
        assertFalse(issuedInTheFuture(NOW - 3600, NOW, 60), "issued in the past");
        assertFalse(issuedInTheFuture(NOW, NOW, 60), "issued now");
        assertFalse(issuedInTheFuture(NOW + 30, NOW, 60), "30 s ahead: clock skew");
        assertFalse(issuedInTheFuture(NOW + 60, NOW, 60), "exactly the allowance ahead");
    }

    @Test
    void aTokenIssuedBeyondTheAllowanceIsRefused() {
        assertTrue(issuedInTheFuture(NOW + 61, NOW, 60));
        assertTrue(issuedInTheFuture(NOW + 3600, NOW, 60), "an hour ahead");
        assertTrue(issuedInTheFuture(NOW + 1, NOW, 0), "no allowance: any second ahead");
    }

    @Test
    void aTokenWithoutIssuedAtIsLeftToSmallryeJwt() {
        // smallrye-jwt requires iat by default; when it is configured not to, an absent iat is no reason to refuse
        assertFalse(issuedInTheFuture(0, NOW, 60));
    }
}
