package dev.tocsin.gateway.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The URI a handshake is rerouted to keeps every parameter but the token, so no later log can show it. */
class AccessTokenQueryFilterTest {

    @Test
    void theTokenParameterIsRemovedAndTheOthersKeepTheirEncoding() {
        assertEquals("/ws/alerts", AccessTokenQueryFilter.withoutToken("/ws/alerts", "access_token=eyJ.a.b"));
        assertEquals("/ws/alerts?client=web%20app&v=1",
                AccessTokenQueryFilter.withoutToken("/ws/alerts", "client=web%20app&access_token=eyJ.a.b&v=1"));
        assertEquals("/ws/alerts?v=1", AccessTokenQueryFilter.withoutToken("/ws/alerts", "access%5Ftoken=x&v=1"));
        assertEquals("/ws/alerts", AccessTokenQueryFilter.withoutToken("/ws/alerts", "access_token=a&access_token=b"));
        assertEquals("/ws/alerts?x", AccessTokenQueryFilter.withoutToken("/ws/alerts", "x&&access_token"));
        assertEquals("/ws/alerts", AccessTokenQueryFilter.withoutToken("/ws/alerts", null));
    }
}
