package dev.tocsin.protocol.alert;

import java.time.Instant;

/**
 * A note someone who sees an alert added to it. Notes are never part of the {@link Alert} (only their count is):
 * they are read with {@code GET /api/v1/alerts/{id}/notes} and arrive live as {@code alert_note}.
 *
 * @param id     the note's id, unique (24 hex digits, like alert ids)
 * @param author the user who wrote it
 * @param at     when it was stored
 * @param text   the note (bounded, see docs/rest-api.md)
 */
public record AlertNote(String id, String author, Instant at, String text) {
}
