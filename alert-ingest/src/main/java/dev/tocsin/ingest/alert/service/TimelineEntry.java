package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.TimelineKind;
import dev.tocsin.protocol.alert.Assignee;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * One change of an alert as {@code GET /api/v1/alerts/{id}/timeline} shows it.
 *
 * @param fields   edits only: the fields that changed
 * @param note     resolutions only: the resolver's note, when given
 * @param assignee assignments only: who the alert was assigned to
 * @param noteId   notes only: the id of the note added (its text is read from {@code GET .../notes})
 * @param user     pushes only: who was pushed
 * @param channel  pushes only: {@code telegram} or {@code fcm}
 * @param step     pushes and escalation steps: the step ({@code offline}, {@code all-5m}, {@code follow-up:resolved})
 * @param detail   failed pushes only: the short reason ({@code UNREGISTERED}, {@code telegram_403}, ...)
 */
@RegisterForReflection
public record TimelineEntry(TimelineKind kind, String actor, Instant at, List<String> fields, String note,
                            Assignee assignee, String noteId, String user, String channel, String step,
                            String detail) {

    /** A change of the alert itself (stored in the alert's timeline). */
    public TimelineEntry(TimelineKind kind, String actor, Instant at, List<String> fields, String note,
                         Assignee assignee, String noteId) {
        this(kind, actor, at, fields, note, assignee, noteId, null, null, null, null);
    }

    /** A change of the alert itself without an assignee or note id (edits, acks, resolutions, ...). */
    public TimelineEntry(TimelineKind kind, String actor, Instant at, List<String> fields, String note) {
        this(kind, actor, at, fields, note, null, null);
    }

    /** A push or escalation step, composed from the alert's delivery records (never stored in the alert). */
    public static TimelineEntry push(TimelineKind kind, String actor, Instant at, String user, String channel,
                                     String step, String detail) {
        return new TimelineEntry(kind, actor, at, null, null, null, null, user, channel, step, detail);
    }
}
