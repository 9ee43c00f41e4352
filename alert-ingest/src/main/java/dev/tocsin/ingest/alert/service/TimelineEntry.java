package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.TimelineKind;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * One change of an alert as {@code GET /api/v1/alerts/{id}/timeline} shows it.
 *
 * @param fields  edits only: the fields that changed
 * @param note    resolutions only: the resolver's note, when given
 * @param user    pushes only: who was pushed
 * @param channel pushes only: {@code telegram} or {@code fcm}
 * @param step    pushes and escalation steps: the step ({@code offline}, {@code all-5m}, {@code follow-up:resolved})
 * @param detail  failed pushes only: the short reason ({@code UNREGISTERED}, {@code telegram_403}, ...)
 */
@RegisterForReflection
public record TimelineEntry(TimelineKind kind, String actor, Instant at, List<String> fields, String note, String user,
                            String channel, String step, String detail) {

    /** A change of the alert itself (stored in the alert's timeline). */
    public TimelineEntry(TimelineKind kind, String actor, Instant at, List<String> fields, String note) {
        this(kind, actor, at, fields, note, null, null, null, null);
    }
}
