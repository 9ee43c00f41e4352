package dev.tocsin.ingest.changestream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one Lua script that publishes an event (INCR seq, epoch, XADD history, PUBLISH), and the event body it
 * receives: the AlertEvent JSON without {@code epoch} and {@code seq}, which the script splices in front.
 */
public final class PublishScript {

    public static final String RESOURCE = "/lua/publish-event.lua";

    private static final PublishScript INSTANCE = load();

    private final String source;
    private final String sha1;

    private PublishScript(String source) {
        this.source = source;
        this.sha1 = sha1(source);
    }

    public static PublishScript get() {
        return INSTANCE;
    }

    public String source() {
        return source;
    }

    /** For EVALSHA; Redis computes the same digest when the script is loaded with EVAL. */
    public String sha1() {
        return sha1;
    }

    /**
     * The event as the script expects it: encoded by the one codec, then {@code epoch} and {@code seq} removed
     * (the record's primitive {@code seq} would otherwise appear as 0).
     */
    public static String body(AlertEvent event) {
        ObjectNode node = Json.mapper().valueToTree(event);
        node.remove("epoch");
        node.remove("seq");
        String body = Json.encode(node);
        if (body.length() < 3 || body.charAt(0) != '{') {
            throw new IllegalStateException("event body must be a non-empty JSON object");
        }
        return body;
    }

    private static PublishScript load() {
        try (InputStream in = PublishScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new PublishScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
