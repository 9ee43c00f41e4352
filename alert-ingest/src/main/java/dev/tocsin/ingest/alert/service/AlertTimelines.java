package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.alert.repository.TimelineEntryDoc;
import dev.tocsin.ingest.alert.repository.TimelineKind;
import dev.tocsin.ingest.common.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads an alert's timeline for whoever may see the alert (the same rule as reading the alert): the changes stored in
 * the alert, merged by time with the entries of every {@link TimelineSource} (pushes and escalation steps from the
 * delivery records). Ties keep stored changes first.
 */
@ApplicationScoped
public class AlertTimelines {

    private final AlertRepository repository;
    private final Instance<TimelineSource> sources;

    public AlertTimelines(AlertRepository repository, Instance<TimelineSource> sources) {
        this.repository = repository;
        this.sources = sources;
    }

    /** Oldest first; 404 (as a problem) when the alert does not exist or the caller may not see it. */
    public AlertTimeline timeline(String id, Caller caller) {
        ObjectId oid = AlertIdsParser.parse(id).orElseThrow(AlertIdsParser::noSuchAlert);
        List<TimelineEntryDoc> stored = repository.timeline(oid, caller).orElseThrow(AlertIdsParser::noSuchAlert);
        List<TimelineEntry> entries = stored.stream()
                .map(doc -> new TimelineEntry(AlertMapper.parseEnum(TimelineKind.class, doc.kind), doc.actor, doc.at,
                        doc.fields, doc.note, AlertMapper.toAssignee(doc.assignee), doc.noteId))
                .collect(Collectors.toCollection(ArrayList::new));
        for (TimelineSource source : sources) {
            entries.addAll(source.entries(id, AlertRepository.TIMELINE_LIMIT));
        }
        // stable: stored changes (added first) stay ahead of composed entries of the same instant
        entries.sort(Comparator.comparing(TimelineEntry::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        return new AlertTimeline(id, entries, AlertRepository.TIMELINE_LIMIT);
    }
}
