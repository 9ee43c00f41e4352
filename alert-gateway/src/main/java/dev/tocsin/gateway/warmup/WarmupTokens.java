package dev.tocsin.gateway.warmup;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokens for the boot warm-up, signed with a key pair made here and thrown away with this object, and a parser that
 * verifies them the way smallrye-jwt verifies a client's token (the same parser class, RS256, issuer and expiry
 * checked). Its key is never the gateway's verification key: nothing signed here can open a connection.
 */
final class WarmupTokens {

    static final String ISSUER = "urn:tocsin:gateway-warmup";

    /** Signing is a private-key operation (about a millisecond each): a few tokens, verified over and over. */
    private static final int DISTINCT = 16;

    private final List<String> tokens = new ArrayList<>(DISTINCT);
    private final JWTParser parser;

    WarmupTokens() {
        KeyPair keys = rsaKeyPair();
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < DISTINCT; i++) {
            tokens.add(sign(keys, "tocsin-warmup-" + i, now));
        }
        this.parser = new DefaultJWTParser(new JWTAuthContextInfo(keys.getPublic(), ISSUER));
    }

    /** Verifies the {@code i}-th token (modulo how many there are). */
    JsonWebToken verify(int i) throws ParseException {
        return parser.parse(tokens.get(i % DISTINCT));
    }

    private static String sign(KeyPair keys, String user, long now) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(user);
        claims.setClaim("upn", user);
        claims.setStringListClaim("groups", "viewer", "warmup");
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 3600));
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a warm-up token", e);
        }
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            // The size clients' keys have in practice, so the verification does the same arithmetic.
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }
}
