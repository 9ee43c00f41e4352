package dev.tocsin.ingest.console;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's Content-Security-Policy for each form of {@code tocsin.ingest.console.gateway-url}. */
class ConsolePolicyTest {

    @Test
    void aSecureGatewayIsAllowedAsWssAndHttpsOnItsOrigin() {
        String csp = ConsoleRoutes.contentSecurityPolicy(Optional.of("wss://alerts.example.org/ws/alerts"));
        assertTrue(csp.contains("connect-src 'self' wss://alerts.example.org https://alerts.example.org;"), csp);
    }

    @Test
    void withoutAGatewayOnlyThisOriginMayBeConnectedTo() {
        String csp = ConsoleRoutes.contentSecurityPolicy(Optional.empty());
        assertTrue(csp.contains("connect-src 'self';"), csp);
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    }

    @Test
    void somethingThatIsNotAWebSocketUrlIsIgnored() {
        String csp = ConsoleRoutes.contentSecurityPolicy(Optional.of("javascript:alert(1)"));
        assertTrue(csp.contains("connect-src 'self';"), csp);
    }
}
