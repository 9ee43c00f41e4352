package dev.tocsin.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * A locally generated RSA key pair that signs RS256 JWTs for tests and the local run. Keys live only in memory
 * and in files written at run time; none is ever committed. Production verifies tokens from a real issuer with
 * its public key (see {@code docs/operations.md}).
 */
public final class DevJwt {

    /** The issuer the services expect in dev and test ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "https://tocsin.dev/local";

    private static final DevJwt SHARED = generate();

    private final KeyPair keyPair;

    private DevJwt(KeyPair keyPair) {
        this.keyPair = keyPair;
    }

    public static DevJwt generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new DevJwt(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA unavailable", e);
        }
    }

    /** One key pair per JVM, so a Quarkus test resource and the test that mints tokens agree. */
    public static DevJwt shared() {
        return SHARED;
    }

    /** Writes the public key as PEM ({@code mp.jwt.verify.publickey.location}) and returns the path. */
    public Path writePublicKeyPem(Path file) {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keyPair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, pem);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the public key to a temporary file that is deleted when the JVM exits. */
    public Path writePublicKeyPemToTemp() {
        try {
            Path file = Files.createTempFile("tocsin-jwt-", ".pem");
            file.toFile().deleteOnExit();
            return writePublicKeyPem(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A signed token for {@code user} with the given groups ({@code groups} claim: roles such as
     * {@code admin}, {@code operator}, {@code viewer}, and audience groups).
     */
    public String token(String user, Collection<String> groups, Duration ttl) {
        return sign(user, groups, Instant.now(), Instant.now().plus(ttl), ISSUER);
    }

    public String token(String user, String... groups) {
        return token(user, List.of(groups), Duration.ofHours(1));
    }

    /** Signs arbitrary times and issuer, for tests of expired or foreign tokens. */
    public String sign(String user, Collection<String> groups, Instant issuedAt, Instant expiresAt, String issuer) {
        return sign(user, groups, issuedAt, null, expiresAt, issuer);
    }

    /**
     * Signs arbitrary times and issuer with a not-before time ({@code nbf}; none when {@code notBefore} is null), for
     * tests of tokens that are not valid yet.
     */
    public String sign(String user, Collection<String> groups, Instant issuedAt, Instant notBefore, Instant expiresAt,
            String issuer) {
        StringBuilder claims = new StringBuilder("{\"iss\":").append(quote(issuer))
                .append(",\"sub\":").append(quote(user))
                .append(",\"upn\":").append(quote(user))
                .append(",\"jti\":").append(quote(UUID.randomUUID().toString()))
                .append(",\"iat\":").append(issuedAt.getEpochSecond());
        if (notBefore != null) {
            claims.append(",\"nbf\":").append(notBefore.getEpochSecond());
        }
        claims.append(",\"exp\":").append(expiresAt.getEpochSecond())
                .append(",\"groups\":[");
        boolean first = true;
        for (String group : groups) {
            claims.append(first ? "" : ",").append(quote(group));
            first = false;
        }
        claims.append("]}");
        String header = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String signingInput = header + "." + base64Url(claims.toString());
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keyPair.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign", e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String value) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
