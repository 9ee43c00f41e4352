package dev.tocsin.ingest.alert.repository;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import dev.tocsin.ingest.common.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.util.Date;
import java.util.List;
import java.util.Optional;

import static dev.tocsin.ingest.alert.repository.AlertEntity.F_LAST_CHANGE;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_NOTES;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_NOTE_COUNT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_TIMELINE;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_UPDATED_AT;

/**
 * An alert's notes, embedded in the alert document ({@code notes}, with {@code noteCount}). A note and its
 * {@code noted} timeline entry are written by one conditional update, so both are stored or neither; the filter
 * holds the bound (fewer than the limit stored), so concurrent writers cannot exceed it.
 *
 * <p>A note does not raise the alert's {@code version}: the version guards edits ({@code If-Match}), and a note
 * changes nothing an edit is based on, so an operator's note must not make an admin's pending edit fail with 412.
 * It does set {@code updatedAt} and {@code lastChange} {@code noted}: the change stream event says why it happened,
 * and the replay after a lost stream position finds it.
 */
@ApplicationScoped
public class AlertNotesRepository {

    private final AlertRepository alerts;

    public AlertNotesRepository(AlertRepository alerts) {
        this.alerts = alerts;
    }

    /**
     * Appends {@code note} to the alert if it is not retracted, the caller may see it and it holds fewer than
     * {@code limit} notes. True when stored.
     */
    public boolean add(ObjectId id, AlertEntity.NoteDoc note, Caller caller, int limit) {
        Date when = Date.from(note.at);
        TimelineEntryDoc entry = TimelineEntryDoc.of(TimelineKind.NOTED, note.author, note.at);
        entry.noteId = note.noteId;
        Document stored = new Document("noteId", note.noteId).append("author", note.author).append("at", when)
                .append("text", note.text);
        UpdateResult result = alerts.mongoCollection().updateOne(
                Filters.and(Filters.eq("_id", id), AlertRepository.NOT_RETRACTED, AlertRepository.visibleTo(caller),
                        Filters.or(Filters.exists(F_NOTE_COUNT, false), Filters.lt(F_NOTE_COUNT, limit))),
                Updates.combine(
                        Updates.push(F_NOTES, stored),
                        Updates.inc(F_NOTE_COUNT, 1),
                        Updates.set(F_LAST_CHANGE, "noted"),
                        Updates.set(F_UPDATED_AT, when),
                        Updates.pushEach(F_TIMELINE, List.of(entry.toDocument()),
                                new PushOptions().slice(-AlertRepository.TIMELINE_LIMIT))));
        return result.getModifiedCount() == 1;
    }

    /** The alert's notes, oldest first, if it exists and the caller may see it. */
    public Optional<List<AlertEntity.NoteDoc>> notes(ObjectId id, Caller caller) {
        AlertEntity entity = alerts.mongoCollection().find(Filters.and(Filters.eq("_id", id),
                AlertRepository.visibleTo(caller))).projection(Projections.include(F_NOTES)).first();
        return Optional.ofNullable(entity).map(e -> e.notes == null ? List.of() : e.notes);
    }
}
