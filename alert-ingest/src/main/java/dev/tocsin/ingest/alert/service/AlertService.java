package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertRepository.ClearCriteria;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.common.problem.ForbiddenProblemException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.alert.Alert;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores and reads alerts. Writing to MongoDB is all this service does: events reach Redis through the change
 * stream tailer, so a write is published exactly when (and in the order) the store committed it. Reads and
 * life-cycle writes are limited to the alerts the caller may see.
 */
@ApplicationScoped
public class AlertService {

    private final AlertRepository repository;
    private final IngestMetrics metrics;

    public AlertService(AlertRepository repository, IngestMetrics metrics) {
        this.repository = repository;
        this.metrics = metrics;
    }

    public Alert create(NewAlert alert) {
        AlertEntity entity = AlertMapper.toEntity(alert);
        Instant now = StoreTime.now();
        entity.id = new ObjectId();
        entity.createdAt = now;
        entity.updatedAt = now;
        repository.persist(entity);
        return AlertMapper.toAlert(entity);
    }

    /** Empty when absent, invisible to the caller, or when the id is not an ObjectId (no such alert can exist). */
    public Optional<Alert> find(String id, Caller caller) {
        return objectId(id).flatMap(oid -> repository.findVisible(oid, caller)).map(AlertMapper::toAlert);
    }

    public AlertPage list(AlertRepository.AlertFilter filter, Caller caller, int page, int size) {
        List<Alert> items = repository.list(filter, caller, page, size).stream().map(AlertMapper::toAlert).toList();
        long total = repository.count(filter, caller);
        return new AlertPage(items, page, size, total);
    }

    /**
     * Acknowledges the alert (first ack wins; repeating it changes nothing) and returns it as stored. Empty when
     * the caller may not see it, so that its existence is not revealed.
     */
    public Optional<Alert> acknowledge(String id, Caller caller) {
        if (caller.user() == null || caller.user().isBlank()) {
            // An acknowledgment must name who made it; a token without upn/sub cannot.
            throw new ForbiddenProblemException("the token names no user");
        }
        Optional<ObjectId> oid = objectId(id);
        if (oid.isEmpty()) {
            return Optional.empty();
        }
        if (repository.acknowledge(oid.get(), caller, StoreTime.now())) {
            metrics.acknowledged();
            Log.infof("alert %s acknowledged by %s", id, caller.user());
        }
        return repository.findVisible(oid.get(), caller).map(AlertMapper::toAlert);
    }

    /** Clears the matching active alerts the caller may see; returns how many changed. */
    public long clear(ClearCriteria criteria, Caller caller) {
        long count = repository.clear(criteria, caller, StoreTime.now());
        metrics.cleared(count);
        Log.infof("%d alert(s) cleared by %s", count, caller.user());
        return count;
    }

    private static Optional<ObjectId> objectId(String id) {
        return id == null || !ObjectId.isValid(id) ? Optional.empty() : Optional.of(new ObjectId(id));
    }

    /** One page of the listing; {@code total} counts all matches of the filter. */
    public record AlertPage(List<Alert> items, int page, int size, long total) {
    }
}
