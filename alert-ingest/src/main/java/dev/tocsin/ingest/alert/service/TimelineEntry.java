package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.TimelineKind;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * One change of an alert as {@code GET /api/v1/alerts/{id}/timeline} shows it.
 *
 * @param fields edits only: the fields that changed
 * @param note   resolutions only: the resolver's note, when given
 */
@RegisterForReflection
public record TimelineEntry(TimelineKind kind, String actor, Instant at, List<String> fields, String note) {
}
