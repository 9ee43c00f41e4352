package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.alert.rest.AlertRequest;
import dev.tocsin.protocol.alert.Alert;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores and reads alerts. Writing to MongoDB is all this service does: events reach Redis through the change
 * stream tailer, so a write is published exactly when (and in the order) the store committed it.
 */
@ApplicationScoped
public class AlertService {

    private final AlertRepository repository;

    public AlertService(AlertRepository repository) {
        this.repository = repository;
    }

    public Alert create(AlertRequest request) {
        AlertEntity entity = AlertMapper.toEntity(request);
        Instant now = AlertMapper.storedNow();
        entity.id = new ObjectId();
        entity.createdAt = now;
        entity.updatedAt = now;
        repository.persist(entity);
        return AlertMapper.toAlert(entity);
    }

    /** Empty when absent or when the id is not an ObjectId (no such alert can exist). */
    public Optional<Alert> find(String id) {
        if (id == null || !ObjectId.isValid(id)) {
            return Optional.empty();
        }
        return repository.findByIdOptional(new ObjectId(id)).map(AlertMapper::toAlert);
    }

    public AlertPage list(AlertRepository.AlertFilter filter, int page, int size) {
        List<Alert> items = repository.list(filter, page, size).stream().map(AlertMapper::toAlert).toList();
        long total = repository.count(filter);
        return new AlertPage(items, page, size, total);
    }

    /** One page of the listing; {@code total} counts all matches of the filter. */
    public record AlertPage(List<Alert> items, int page, int size, long total) {
    }
}
