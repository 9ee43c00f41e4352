package dev.tocsin.ingest.alert.repository;

import org.bson.Document;

import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * One stored entry of an alert's {@code timeline} array: what happened ({@link TimelineKind} wire name), who did it,
 * when, and for an edit the names of the fields that changed, for a resolution the note, for an assignment the
 * assignee, for a note its id.
 */
public class TimelineEntryDoc {

    public String kind;
    public String actor;
    public Instant at;
    /** Edits only: the changed fields, in a stable order. */
    public List<String> fields;
    /** Resolutions only: the resolver's note, when given. */
    public String note;
    /** Assignments only: who the alert was assigned to. */
    public AlertEntity.AssigneeDoc assignee;
    /** Notes only: the id of the note added. */
    public String noteId;

    public static TimelineEntryDoc of(TimelineKind kind, String actor, Instant at) {
        TimelineEntryDoc entry = new TimelineEntryDoc();
        entry.kind = kind.wire();
        entry.actor = actor;
        entry.at = at;
        return entry;
    }

    /** As the BSON a {@code $push} writes; null members are left out, like the entity codec does. */
    Document toDocument() {
        Document document = new Document("kind", kind).append("actor", actor).append("at", Date.from(at));
        if (fields != null && !fields.isEmpty()) {
            document.append("fields", fields);
        }
        if (note != null) {
            document.append("note", note);
        }
        if (assignee != null) {
            document.append("assignee", new Document("kind", assignee.kind).append("name", assignee.name));
        }
        if (noteId != null) {
            document.append("noteId", noteId);
        }
        return document;
    }
}
