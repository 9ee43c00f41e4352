package dev.tocsin.gateway.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IdentityHandOver reaches websockets-next's routing context through a non-public accessor. If a Quarkus upgrade
 * moves it, handshakes still work but every connection keeps its security state (about 4 KiB of heap): this fails so
 * the upgrade is noticed. The endpoint tests cover that authentication, roles and forwarding still work.
 */
class IdentityHandOverTest {

    @Test
    void theUpgradeRoutingContextIsReachableWithThisQuarkusVersion() {
        assertTrue(IdentityHandOver.releases(), "HttpUpgradeContextImpl.routingContext() was not found");
    }
}
