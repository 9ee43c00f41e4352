package dev.tocsin.relay.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.protocol.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Google service-account key (the JSON file from the console) and the RS256-signed JWT grant made from it
 * (RFC 7523: iss = client_email, scope, aud = token endpoint, iat, exp at most an hour later). The private key
 * never leaves this class; {@link #toString()} does not show it.
 */
final class ServiceAccount {

    static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

    private final String clientEmail;
    private final String projectId;
    private final String keyId;
    private final String tokenUri;
    private final PrivateKey privateKey;

    private ServiceAccount(String clientEmail, String projectId, String keyId, String tokenUri, PrivateKey privateKey) {
        this.clientEmail = clientEmail;
        this.projectId = projectId;
        this.keyId = keyId;
        this.tokenUri = tokenUri;
        this.privateKey = privateKey;
    }

    /** Parses the key JSON; the exception names the missing field, never a value. */
    static ServiceAccount parse(String json) {
        JsonNode node;
        try {
            node = Json.tree(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("service-account key is not valid JSON");
        }
        String email = required(node, "client_email");
        String pem = required(node, "private_key");
        String keyId = node.path("private_key_id").asText(null);
        String tokenUri = node.path("token_uri").asText(DEFAULT_TOKEN_URI);
        String projectId = node.path("project_id").asText(null);
        return new ServiceAccount(email, projectId, keyId, tokenUri, privateKey(pem));
    }

    String clientEmail() {
        return clientEmail;
    }

    String projectId() {
        return projectId;
    }

    String tokenUri() {
        return tokenUri;
    }

    /** The signed grant assertion for {@code audience} (the token endpoint) and {@code scope}. */
    String assertion(String audience, String scope, Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        if (keyId != null) {
            header.put("kid", keyId);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientEmail);
        claims.put("scope", scope);
        claims.put("aud", audience);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + 3600);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(Json.encodeBytes(header)) + "." + b64.encodeToString(Json.encodeBytes(claims));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the OAuth2 grant (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String required(JsonNode node, String field) {
        String value = node.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("service-account key has no " + field);
        }
        return value;
    }

    private static PrivateKey privateKey(String pem) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("service-account private_key is not a PKCS#8 RSA key");
        }
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + clientEmail + "]";
    }
}
