package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.common.problem.BadRequestException;

import java.util.List;

/**
 * The {@code Idempotency-Key} request header of {@code POST /api/v1/alerts} (as in the IETF draft
 * "The Idempotency-Key HTTP Header Field"): an opaque string the client chooses per alert, such as a UUID, of 1 to 200
 * printable ASCII characters (space to tilde). A replayed answer carries {@link #REPLAYED}{@code : true}.
 */
final class IdempotencyKey {

    static final String HEADER = "Idempotency-Key";
    /** Response header of a replay (the convention of Stripe and others; the draft names none). */
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_LENGTH = 200;

    private IdempotencyKey() {
    }

    /**
     * The key, or null when the header is absent; 400 when it is present but not one valid key. Takes the header's
     * raw values: a present but empty header must be refused, not read as absent.
     */
    static String parse(List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw BadRequestException.of(HEADER, "must be given once");
        }
        String header = values.get(0) == null ? "" : values.get(0);
        boolean printable = header.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
        if (header.isEmpty() || header.length() > MAX_LENGTH || !printable) {
            throw BadRequestException.of(HEADER, "must be 1 to " + MAX_LENGTH
                    + " printable ASCII characters, such as a UUID");
        }
        return header;
    }
}
