package dev.tocsin.ingest.alert.rest;

import dev.tocsin.ingest.common.problem.BadRequestException;
import dev.tocsin.ingest.common.problem.ProblemStatusException;

/**
 * The alert's version as an entity tag: {@code "7"} (strong, quoted, as RFC 9110 writes it). An edit must name the
 * version it was made against; without {@code If-Match} the server could not tell a stale edit from a current one,
 * so it answers 428 rather than guess. {@code *} and weak tags are refused: they would match any version.
 */
final class IfMatch {

    static final String HEADER = "If-Match";

    private IfMatch() {
    }

    /** The version {@code header} names; 428 when absent, 400 when it names no single version. */
    static long version(String header) {
        if (header == null || header.isBlank()) {
            throw ProblemStatusException.preconditionRequired("an edit needs If-Match with the alert's ETag (its "
                    + "version, such as \"3\") from GET /api/v1/alerts/{id}");
        }
        String value = header.trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        try {
            long version = Long.parseLong(value);
            if (version >= 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through to the 400 below
        }
        throw BadRequestException.of(HEADER, "must be one ETag of the alert, such as \"3\"");
    }
}
