package dev.tocsin.localinfra;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevJwtTest {

    @Test
    void tokensVerifyWithTheWrittenPublicKeyAndCarryTheClaims() throws Exception {
        DevJwt jwt = DevJwt.generate();
        Path pem = jwt.writePublicKeyPemToTemp();
        String token = jwt.token("alice", "viewer", "oncall");

        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        assertTrue(verify(readKey(pem), parts));
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"upn\":\"alice\""), claims);
        assertTrue(claims.contains("\"groups\":[\"viewer\",\"oncall\"]"), claims);
        assertTrue(claims.contains("\"iss\":\"" + DevJwt.ISSUER + "\""), claims);

        String[] forged = parts.clone();
        forged[1] = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.replace("viewer", "admin").getBytes(StandardCharsets.UTF_8));
        assertFalse(verify(readKey(pem), forged));
    }

    @Test
    void aNotBeforeTimeIsSignedWhenGiven() throws Exception {
        DevJwt jwt = DevJwt.generate();
        Path pem = jwt.writePublicKeyPemToTemp();
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        String token = jwt.sign("alice", List.of("viewer"), now, now.plusSeconds(3600), now.plusSeconds(7200),
                DevJwt.ISSUER);

        String[] parts = token.split("\\.");
        assertTrue(verify(readKey(pem), parts));
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"iat\":1800000000,\"nbf\":1800003600,\"exp\":1800007200"), claims);
        String withoutNbf = jwt.sign("alice", List.of("viewer"), now, now.plusSeconds(7200), DevJwt.ISSUER);
        assertFalse(new String(Base64.getUrlDecoder().decode(withoutNbf.split("\\.")[1]), StandardCharsets.UTF_8)
                .contains("nbf"));
    }

    private static PublicKey readKey(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static boolean verify(PublicKey key, String[] parts) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(key);
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
    }
}
