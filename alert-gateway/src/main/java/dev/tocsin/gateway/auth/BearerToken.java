package dev.tocsin.gateway.auth;

import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The raw JWT a connection presented, kept only to forward the user's own credentials to alert-ingest (the gateway
 * never acts with more rights than the user). {@link #toString()} never shows it, so it cannot reach a log line.
 *
 * <p>Kept compactly, because every connection holds one for its whole life and a token is the largest thing it holds
 * (about 0.6 KiB as a string for an RS256 token): its header segment, the same for every token of an issuer and key,
 * is shared, and its payload and signature are kept as the bytes their base64url text encodes (three quarters of the
 * text). The text is rebuilt only when a request is forwarded. A token whose segments do not read back to exactly the
 * same text (not canonical base64url, not three segments) is kept as it came.
 */
public final class BearerToken {

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** Bounded, like any cache keyed by what clients send: past it, headers are kept per token. */
    private static final int MAX_HEADERS = 256;
    private static final ConcurrentHashMap<String, String> HEADERS = new ConcurrentHashMap<>();

    /** The token as it came, when it is not kept in parts; else null. */
    private final String value;
    /** The token in parts; null when {@link #value} holds it. */
    private final Parts parts;

    /** The header segment (shared), and what the payload and signature segments encode. */
    private record Parts(String header, byte[] payload, byte[] signature) {
    }

    public BearerToken(String value) {
        Parts compact = value == null ? null : compact(value);
        this.value = compact == null ? value : null;
        this.parts = compact;
    }

    /** The {@code Authorization} header value: {@code Bearer <jwt>}. */
    public String authorizationHeader() {
        return "Bearer " + text();
    }

    public boolean isPresent() {
        // A token kept in parts has a non-empty header segment: present without rebuilding its text.
        return parts != null || (value != null && !value.isBlank());
    }

    /** The token's text, as it came. */
    private String text() {
        if (parts == null) {
            return value;
        }
        return parts.header() + '.' + ENCODER.encodeToString(parts.payload()) + '.'
                + ENCODER.encodeToString(parts.signature());
    }

    /** The token in parts, when its payload and signature read back to the same text; else null. */
    private static Parts compact(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            return null;
        }
        byte[] payload = decode(token.substring(first + 1, second));
        byte[] signature = payload == null ? null : decode(token.substring(second + 1));
        if (signature == null) {
            return null;
        }
        String header = token.substring(0, first);
        String shared = HEADERS.get(header);
        if (shared == null) {
            shared = HEADERS.size() < MAX_HEADERS ? HEADERS.computeIfAbsent(header, h -> h) : header;
        }
        return new Parts(shared, payload, signature);
    }

    /** What a canonical unpadded base64url segment encodes; null when encoding it again would not give the segment. */
    private static byte[] decode(String segment) {
        try {
            byte[] bytes = DECODER.decode(segment);
            return ENCODER.encodeToString(bytes).equals(segment) ? bytes : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "BearerToken[***]";
    }
}
