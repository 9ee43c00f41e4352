package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.alert.repository.TimelineEntryDoc;
import dev.tocsin.ingest.alert.repository.TimelineKind;
import dev.tocsin.ingest.common.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

import java.util.List;

/** Reads an alert's timeline for whoever may see the alert (the same rule as reading the alert). */
@ApplicationScoped
public class AlertTimelines {

    private final AlertRepository repository;

    public AlertTimelines(AlertRepository repository) {
        this.repository = repository;
    }

    /** Oldest first; 404 (as a problem) when the alert does not exist or the caller may not see it. */
    public AlertTimeline timeline(String id, Caller caller) {
        ObjectId oid = AlertIdsParser.parse(id).orElseThrow(AlertIdsParser::noSuchAlert);
        List<TimelineEntryDoc> stored = repository.timeline(oid, caller).orElseThrow(AlertIdsParser::noSuchAlert);
        List<TimelineEntry> entries = stored.stream()
                .map(doc -> new TimelineEntry(AlertMapper.parseEnum(TimelineKind.class, doc.kind), doc.actor, doc.at,
                        doc.fields, doc.note, AlertMapper.toAssignee(doc.assignee), doc.noteId))
                .toList();
        return new AlertTimeline(id, entries, AlertRepository.TIMELINE_LIMIT);
    }
}
