package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.common.problem.BadRequestException;
import dev.tocsin.protocol.json.CodecException;
import dev.tocsin.protocol.json.Json;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Optional body of {@code POST /api/v1/alerts/{id}/resolve}: the resolver's note. Read from the raw body, because the
 * body is optional: a bare {@code POST} (no body, no Content-Type) would otherwise be refused with 415 or 400.
 */
@RegisterForReflection
public class ResolveRequest {

    public static final int MAX_NOTE = 1000;

    public String note;

    /** The note of {@code raw} (null, blank or without a note: none), trimmed; 400 problems for a bad body. */
    static String noteOf(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        ResolveRequest body;
        try {
            body = Json.decode(raw, ResolveRequest.class);
        } catch (CodecException e) {
            throw BadRequestException.of(e.field() == null ? "body" : e.field(), "must be a JSON object such as "
                    + "{\"note\":\"...\"}");
        }
        if (body == null || body.note == null || body.note.isBlank()) {
            return null;
        }
        if (body.note.length() > MAX_NOTE) {
            throw BadRequestException.of("note", "size must be between 0 and " + MAX_NOTE);
        }
        return body.note.strip();
    }
}
