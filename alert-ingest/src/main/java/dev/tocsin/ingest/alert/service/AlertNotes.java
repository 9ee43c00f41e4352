package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertNotesRepository;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.common.problem.BadRequestException;
import dev.tocsin.ingest.common.problem.ProblemStatusException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.alert.AlertNote;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

import java.util.List;

/**
 * Notes on alerts: whoever may see an alert (a publisher: the alerts it created) may add one and read them all, on an
 * alert in any status but retracted (a note on a resolved alert records what was learnt). Bounded in length and
 * count ({@link IngestConfig.NoteSettings}). Clients receive a new note as {@code alert_note} through the change
 * stream, like every other change.
 */
@ApplicationScoped
public class AlertNotes {

    private final AlertRepository repository;
    private final AlertNotesRepository notes;
    private final IngestConfig.NoteSettings settings;

    public AlertNotes(AlertRepository repository, AlertNotesRepository notes, IngestConfig config) {
        this.repository = repository;
        this.notes = notes;
        this.settings = config.notes();
    }

    /** Adds a note by the caller; 400 for a blank or too long text, 404, 409 (retracted, or the alert is full). */
    public AlertNote add(String id, String text, Caller caller) {
        AlertOutcomes.requireUser(caller);
        ObjectId oid = AlertIdsParser.parse(id).orElseThrow(AlertIdsParser::noSuchAlert);
        String stripped = text == null ? "" : text.strip();
        if (stripped.isEmpty() || stripped.length() > settings.maxLength()) {
            throw BadRequestException.of("text", "size must be between 1 and " + settings.maxLength()
                    + " characters (after trimming)");
        }
        AlertEntity.NoteDoc note = new AlertEntity.NoteDoc();
        note.noteId = new ObjectId().toHexString();
        note.author = caller.user();
        note.at = StoreTime.now();
        note.text = stripped;
        if (notes.add(oid, note, caller, settings.maxPerAlert())) {
            Log.infof("alert %s: note %s added by %s", id, note.noteId, caller.user());
            return AlertMapper.toNote(note);
        }
        AlertEntity current = repository.findVisible(oid, caller).orElseThrow(AlertIdsParser::noSuchAlert);
        if ("retracted".equals(current.status)) {
            throw ProblemStatusException.conflict("a retracted alert cannot be changed");
        }
        throw ProblemStatusException.noteLimitReached("the alert holds " + current.noteCount + " notes, the most "
                + "it may (" + settings.maxPerAlert() + ")");
    }

    /** The alert's notes, oldest first; 404 when it does not exist or the caller may not see it. */
    public NoteList list(String id, Caller caller) {
        ObjectId oid = AlertIdsParser.parse(id).orElseThrow(AlertIdsParser::noSuchAlert);
        List<AlertNote> all = notes.notes(oid, caller).orElseThrow(AlertIdsParser::noSuchAlert).stream()
                .map(AlertMapper::toNote).toList();
        return new NoteList(id, all, settings.maxPerAlert());
    }

    /** Answer of {@code GET /api/v1/alerts/{id}/notes}: every note, oldest first, and how many the alert may hold. */
    @RegisterForReflection
    public record NoteList(String alertId, List<AlertNote> notes, int limit) {
    }
}
