package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.common.problem.ProblemStatusException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Location;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Edits an alert under optimistic concurrency: the caller names the version it saw, and the write is conditional on
 * the alert still being at that version (and active), so of two editors who saw the same version exactly one wins and
 * the other learns it (412) instead of silently overwriting. Only fields whose value really changes are written and
 * listed in the timeline; an edit that changes nothing writes nothing.
 */
@ApplicationScoped
public class AlertEditing {

    private final AlertRepository repository;

    public AlertEditing(AlertRepository repository) {
        this.repository = repository;
    }

    public Alert edit(String id, long expectedVersion, AlertEdit edit, Caller caller) {
        ObjectId oid = AlertIdsParser.parse(id).orElseThrow(AlertIdsParser::noSuchAlert);
        AlertEntity current = AlertOwnership.requireChangeable(repository, oid, caller, "edit");
        requireEditable(current, expectedVersion);
        Map<String, Object> changes = changes(current, edit);
        if (changes.isEmpty()) {
            return AlertMapper.toAlert(current);
        }
        if (!repository.edit(oid, expectedVersion, changes, new ArrayList<>(changes.keySet()), caller.user(),
                StoreTime.now())) {
            // Someone wrote in between: say why this write lost, from the state that won.
            requireEditable(repository.findVisible(oid, caller).orElseThrow(AlertIdsParser::noSuchAlert), expectedVersion);
            throw ProblemStatusException.conflict("the alert changed while it was being edited; read it and retry");
        }
        Log.infof("alert %s edited by %s: %s", id, caller.user(), changes.keySet());
        return repository.findVisible(oid, caller).map(AlertMapper::toAlert).orElseThrow(AlertIdsParser::noSuchAlert);
    }

    private static void requireEditable(AlertEntity alert, long expectedVersion) {
        if (alert.version != expectedVersion) {
            throw ProblemStatusException.preconditionFailed("the alert is at version " + alert.version
                    + ", not " + expectedVersion + "; read it again and reapply the edit");
        }
        String status = alert.status == null ? AlertMapper.wire(AlertStatus.ACTIVE) : alert.status;
        if (!status.equals(AlertMapper.wire(AlertStatus.ACTIVE))) {
            throw ProblemStatusException.conflict("only an active alert can be edited; this one is " + status);
        }
    }

    /** Stored field name → new stored value, for every field the edit really changes, in a fixed order. */
    static Map<String, Object> changes(AlertEntity current, AlertEdit edit) {
        Map<String, Object> changes = new LinkedHashMap<>();
        if (edit.title() != null && !edit.title().equals(current.title)) {
            changes.put("title", edit.title());
        }
        if (edit.message() != null && !edit.message().equals(current.message)) {
            changes.put("message", edit.message());
        }
        if (edit.priority() != null && !edit.priority().wire().equals(current.priority)) {
            changes.put("priority", edit.priority().wire());
        }
        if (edit.riskScore() != null && !edit.riskScore().equals(current.riskScore)) {
            changes.put("riskScore", edit.riskScore());
        }
        if (edit.location() != null && !sameLocation(edit.location(), current.location)) {
            changes.put("location", locationDocument(edit.location()));
        }
        if (edit.expiresAt() != null) {
            Instant expiresAt = edit.expiresAt().truncatedTo(ChronoUnit.MILLIS);
            if (!expiresAt.equals(current.expiresAt)) {
                changes.put("expiresAt", java.util.Date.from(expiresAt));
            }
        }
        if (edit.metadata() != null) {
            Document metadata = AlertMapper.toBsonDocument(edit.metadata());
            if (!metadata.equals(current.metadata)) {
                changes.put("metadata", metadata);
            }
        }
        return changes;
    }

    private static boolean sameLocation(Location wanted, AlertEntity.LocationDoc stored) {
        return stored != null && Objects.equals(wanted.lat(), stored.lat) && Objects.equals(wanted.lon(), stored.lon)
                && Objects.equals(wanted.region(), stored.region);
    }

    /** As the entity codec stores a location: null members left out. */
    private static Document locationDocument(Location location) {
        Document document = new Document();
        if (location.lat() != null) {
            document.append("lat", location.lat());
        }
        if (location.lon() != null) {
            document.append("lon", location.lon());
        }
        if (location.region() != null) {
            document.append("region", location.region());
        }
        return document;
    }
}
