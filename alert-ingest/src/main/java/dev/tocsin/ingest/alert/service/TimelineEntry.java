package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.TimelineKind;
import dev.tocsin.protocol.alert.Assignee;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * One change of an alert as {@code GET /api/v1/alerts/{id}/timeline} shows it.
 *
 * @param fields edits only: the fields that changed
 * @param note     resolutions only: the resolver's note, when given
 * @param assignee assignments only: who the alert was assigned to
 * @param noteId   notes only: the id of the note added (its text is read from {@code GET .../notes})
 */
@RegisterForReflection
public record TimelineEntry(TimelineKind kind, String actor, Instant at, List<String> fields, String note,
                            Assignee assignee, String noteId) {
}
