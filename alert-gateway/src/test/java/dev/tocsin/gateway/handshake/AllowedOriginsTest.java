package dev.tocsin.gateway.handshake;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowedOriginsTest {

    @Test
    void withoutAListEveryOriginIsAdmitted() {
        AllowedOrigins none = new AllowedOrigins(Optional.empty());
        assertFalse(none.checks());
        assertTrue(none.admits("https://anywhere.example"));
        assertTrue(none.admits(null));
        assertFalse(new AllowedOrigins(Optional.of(List.of(" ", ""))).checks(), "blank entries are no list");
    }

    @Test
    void listedOriginsAreAdmittedWithoutCaseOrTrailingSlash() {
        AllowedOrigins allowed = new AllowedOrigins(Optional.of(List.of("https://Console.example.org/",
                " http://localhost:8080")));
        assertTrue(allowed.checks());
        assertTrue(allowed.admits("https://console.example.org"));
        assertTrue(allowed.admits("HTTPS://CONSOLE.EXAMPLE.ORG"));
        assertTrue(allowed.admits("http://localhost:8080"));
    }

    @Test
    void otherOriginsAreRefusedButAHandshakeWithoutOriginIsNotABrowserAndPasses() {
        AllowedOrigins allowed = new AllowedOrigins(Optional.of(List.of("https://console.example.org")));
        assertFalse(allowed.admits("https://evil.example"));
        assertFalse(allowed.admits("http://console.example.org"), "another scheme is another origin");
        assertFalse(allowed.admits("https://console.example.org:8443"), "another port is another origin");
        assertFalse(allowed.admits("null"), "the opaque origin of sandboxed pages and files");
        assertTrue(allowed.admits(null));
    }
}
