package dev.tocsin.gateway.testsupport;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.Json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds AlertEvents (and their JSON, with the shared codec) as alert-ingest publishes them. */
public final class Events {

    public static final String EPOCH = "test-epoch";
    private static final AtomicLong SEQ = new AtomicLong();

    private Events() {
    }

    public static long nextSeq() {
        return SEQ.incrementAndGet();
    }

    /** A critical alert (sent at once, never batched), so tests that are not about batching see single frames. */
    public static Alert alert(String id, Audience audience) {
        return alert(id, audience, Priority.CRITICAL);
    }

    public static Alert alert(String id, Audience audience, Priority priority) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Alert(id, priority, "outbreak_risk", "Title " + id, "Message for " + id, "test-source",
                new Location(48.1, 11.5, "DE-BY"), 0.75, 0.5, 1200L, true, "https://example.org/a/" + id,
                now.plus(1, ChronoUnit.HOURS), now, now, audience, Map.of("k", "v", "n", 3), null, null, null, null, null, null, null);
    }

    public static AlertEvent created(String id, Audience audience) {
        return new AlertEvent(EPOCH, nextSeq(), ChangeOp.CREATED, id, alert(id, audience), "change-" + id + "-" + nextSeq(), Instant.now());
    }

    public static AlertEvent created(String id, Audience audience, Priority priority) {
        return created(alert(id, audience, priority));
    }

    public static AlertEvent created(Alert alert) {
        return new AlertEvent(EPOCH, nextSeq(), ChangeOp.CREATED, alert.id(), alert, "change-" + alert.id() + "-" + nextSeq(),
                Instant.now());
    }

    /** An update event carrying the alert after the change (lastChange says what the change was). */
    public static AlertEvent updated(Alert alert) {
        return new AlertEvent(EPOCH, nextSeq(), ChangeOp.UPDATED, alert.id(), alert, "change-upd-" + alert.id() + "-" + nextSeq(),
                Instant.now());
    }

    /** The alert with the given lifecycle fields, as alert-ingest stores it after a change. */
    public static Alert changed(Alert a, AlertStatus status, String ackBy, Instant ackAt, AlertChange change) {
        return new Alert(a.id(), a.priority(), a.type(), a.title(), a.message(), a.source(), a.location(), a.riskScore(),
                a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(), a.expiresAt(), a.createdAt(),
                Instant.now(), a.audience(), a.metadata(), status, ackBy, ackAt, null, null, change, null);
    }

    /** The alert with the given version, as alert-ingest counts its writes (1 when created, one more each change). */
    public static Alert versioned(Alert a, long version) {
        return new Alert(a.id(), a.priority(), a.type(), a.title(), a.message(), a.source(), a.location(), a.riskScore(),
                a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(), a.expiresAt(), a.createdAt(),
                a.updatedAt(), a.audience(), a.metadata(), a.status(), a.acknowledgedBy(), a.acknowledgedAt(),
                a.clearedBy(), a.clearedAt(), a.lastChange(), a.escalationGroup(), version);
    }

    /** The event of a note added to {@code a}: lastChange noted, the note in the event, the alert's note count. */
    public static AlertEvent noted(Alert a, AlertNote note, int noteCount) {
        Alert alert = new Alert(a.id(), a.priority(), a.type(), a.title(), a.message(), a.source(), a.location(),
                a.riskScore(), a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(), a.expiresAt(),
                a.createdAt(), Instant.now(), a.audience(), a.metadata(), a.status(), a.acknowledgedBy(),
                a.acknowledgedAt(), a.clearedBy(), a.clearedAt(), AlertChange.NOTED, a.escalationGroup(), a.version(),
                a.resolvedBy(), a.resolvedAt(), a.resolution(), a.assignee(), a.assignedBy(), a.assignedAt(),
                noteCount);
        return new AlertEvent(EPOCH, nextSeq(), ChangeOp.UPDATED, a.id(), alert, "change-note-" + a.id() + "-"
                + nextSeq(), Instant.now(), note);
    }

    /** The event of an assignment of {@code a} to {@code assignee} by {@code by}, at {@code version}. */
    public static AlertEvent assigned(Alert a, Assignee assignee, String by, long version) {
        Alert alert = new Alert(a.id(), a.priority(), a.type(), a.title(), a.message(), a.source(), a.location(),
                a.riskScore(), a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(), a.expiresAt(),
                a.createdAt(), Instant.now(), a.audience(), a.metadata(), a.status(), a.acknowledgedBy(),
                a.acknowledgedAt(), a.clearedBy(), a.clearedAt(), AlertChange.ASSIGNED, a.escalationGroup(), version,
                a.resolvedBy(), a.resolvedAt(), a.resolution(), assignee, by, Instant.now(), a.noteCount());
        return updated(alert);
    }

    public static AlertEvent deleted(String id) {
        return new AlertEvent(EPOCH, nextSeq(), ChangeOp.DELETED, id, null, "change-del-" + id + "-" + nextSeq(), Instant.now());
    }

    public static String json(AlertEvent event) {
        return Json.encode(event);
    }
}
