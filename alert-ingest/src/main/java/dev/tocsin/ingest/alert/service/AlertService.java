package dev.tocsin.ingest.alert.service;

import dev.tocsin.ingest.alert.position.EventPosition;
import dev.tocsin.ingest.alert.position.EventPositionReader;
import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.repository.AlertFilter;
import dev.tocsin.ingest.alert.repository.AlertRepository.ClearCriteria;
import dev.tocsin.ingest.alert.repository.AlertRepository;
import dev.tocsin.ingest.alert.repository.TimelineEntryDoc;
import dev.tocsin.ingest.alert.repository.TimelineKind;
import dev.tocsin.ingest.common.problem.ForbiddenProblemException;
import dev.tocsin.ingest.common.problem.UnavailableProblemException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.alert.Alert;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

import java.time.Duration;
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

    /** What a 503 of the listing suggests: Redis is back within seconds in the usual restart or failover. */
    private static final Duration RETRY_POSITION_AFTER = Duration.ofSeconds(5);

    private final AlertRepository repository;
    private final EventPositionReader positions;
    private final IngestMetrics metrics;

    public AlertService(AlertRepository repository, EventPositionReader positions, IngestMetrics metrics) {
        this.repository = repository;
        this.positions = positions;
        this.metrics = metrics;
    }

    /** Stores a new alert, its timeline starting with {@code created} by {@code creator} (in the same insert). */
    public Alert create(NewAlert alert, String creator) {
        return create(alert, creator, new ObjectId());
    }

    /** As {@link #create(NewAlert, String)}, under an id chosen beforehand (an idempotency claim names it). */
    public Alert create(NewAlert alert, String creator, ObjectId id) {
        AlertEntity entity = AlertMapper.toEntity(alert);
        Instant now = StoreTime.now();
        entity.id = id;
        entity.createdAt = now;
        entity.updatedAt = now;
        entity.createdBy = creator;
        entity.timeline = List.of(TimelineEntryDoc.of(TimelineKind.CREATED, creator, now));
        repository.persist(entity);
        entity.timeline = null; // never part of the alert (see AlertEntity.timeline)
        return AlertMapper.toAlert(entity);
    }

    /** Empty when absent, invisible to the caller, or when the id is not an ObjectId (no such alert can exist). */
    public Optional<Alert> find(String id, Caller caller) {
        return objectId(id).flatMap(oid -> repository.findVisible(oid, caller)).map(AlertMapper::toAlert);
    }

    /**
     * One page of the alerts the caller may see, with the change-event position the page is at least as new as.
     * Throws {@link UnavailableProblemException} when that position cannot be read: a page without one cannot be
     * merged with the live stream safely, so none is given.
     */
    public AlertPage list(AlertFilter filter, Caller caller, int page, int size) {
        // The position first, the alerts second. The tailer publishes an event only after MongoDB has stored its
        // write (a change stream reports committed changes only), so every event at or below this position is of
        // a write these queries, started afterwards on the primary, already see. The page may show later writes
        // too; their events follow with higher positions and the same or a higher version, and clients keep the
        // higher version. Read the other way round, the position could name events the page does not reflect.
        EventPosition position = currentPosition();
        List<Alert> items = repository.list(filter, caller, page, size).stream().map(AlertMapper::toAlert).toList();
        long total = repository.count(filter, caller);
        return new AlertPage(items, page, size, total, position.epoch(), position.seq());
    }

    /**
     * Acknowledges the alert (first ack wins; repeating it changes nothing) and returns it as stored, with whether
     * it had been acknowledged before this call. Empty when the caller may not see it, so that its existence is not
     * revealed.
     */
    public Optional<Acknowledgment> acknowledge(String id, Caller caller) {
        if (caller.user() == null || caller.user().isBlank()) {
            // An acknowledgment must name who made it; a token without upn/sub cannot.
            throw new ForbiddenProblemException("the token names no user");
        }
        Optional<ObjectId> oid = objectId(id);
        if (oid.isEmpty()) {
            return Optional.empty();
        }
        // The conditional update decides: it matches only a visible, unacknowledged alert, so exactly one of any
        // number of concurrent callers performs the acknowledgment; for every other caller it was there already.
        boolean performed = repository.acknowledge(oid.get(), caller, StoreTime.now());
        if (performed) {
            metrics.acknowledged();
            Log.infof("alert %s acknowledged by %s", id, caller.user());
        }
        return repository.findVisible(oid.get(), caller)
                .map(entity -> new Acknowledgment(AlertMapper.toAlert(entity), !performed));
    }

    /** Clears the matching active alerts the caller may see; returns how many changed. */
    public long clear(ClearCriteria criteria, Caller caller) {
        long count = repository.clear(criteria, caller, StoreTime.now());
        metrics.cleared(count);
        Log.infof("%d alert(s) cleared by %s", count, caller.user());
        return count;
    }

    private EventPosition currentPosition() {
        try {
            return positions.current();
        } catch (RuntimeException e) {
            Log.warnf("change-event position unreadable (%s: %s); listing answers 503", e.getClass().getSimpleName(),
                    e.getMessage());
            throw new UnavailableProblemException(
                    "the change-event position cannot be read right now; retry shortly", RETRY_POSITION_AFTER);
        }
    }

    private static Optional<ObjectId> objectId(String id) {
        return AlertIdsParser.parse(id);
    }

    /**
     * One page of the listing; {@code total} counts all matches of the filter. {@code epoch}/{@code seq}: every
     * change event at or below this position is reflected in the page (null/0 before the first publish).
     */
    @RegisterForReflection
    public record AlertPage(List<Alert> items, int page, int size, long total, String epoch, long seq) {
    }

    /**
     * The outcome of an acknowledgment: the alert as stored afterwards, and whether it had been acknowledged
     * before (true: this call changed nothing).
     */
    public record Acknowledgment(Alert alert, boolean already) {
    }
}
