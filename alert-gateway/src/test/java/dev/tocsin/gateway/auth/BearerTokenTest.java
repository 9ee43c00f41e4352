package dev.tocsin.gateway.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token is forwarded exactly as it came, however it is kept (plain JUnit). */
class BearerTokenTest {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    @Test
    void aJwtIsForwardedAsItCame() {
        Random random = new Random(21);
        for (int length = 0; length < 300; length += 7) {
            byte[] signature = new byte[length];
            random.nextBytes(signature);
            String token = segment("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "."
                    + segment("{\"sub\":\"u" + length + "\",\"groups\":[\"viewer\"]}") + "." + URL.encodeToString(signature);
            BearerToken kept = new BearerToken(token);
            assertEquals("Bearer " + token, kept.authorizationHeader());
            assertTrue(kept.isPresent());
        }
    }

    @Test
    void whatIsNotACanonicalJwtIsKeptAsItCame() {
        for (String token : new String[] {"opaque-token", "a.b", "a.b.c.d", ".b.c", "aGk=.aGk=.aGk=", "a.b!.c",
                "eyJh.aGl.aGk", "a..b", "a.b."}) {
            assertEquals("Bearer " + token, new BearerToken(token).authorizationHeader(), token);
        }
    }

    @Test
    void noTokenIsNotPresent() {
        assertFalse(new BearerToken(null).isPresent());
        assertFalse(new BearerToken(" ").isPresent());
        assertEquals("BearerToken[***]", new BearerToken("a.b.c").toString());
    }

    private static String segment(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
