package dev.tocsin.ingest.alert.repository;

import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.result.UpdateResult;
import dev.tocsin.ingest.common.mongo.TtlIndexes;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.config.IngestConfig;
import io.quarkus.logging.Log;
import io.quarkus.mongodb.panache.PanacheMongoRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.tocsin.ingest.alert.repository.AlertEntity.F_ACKNOWLEDGED_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_ACKNOWLEDGED_BY;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_CLEARED_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_CLEARED_BY;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_CREATED_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_CREATED_BY;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_EXPIRES_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_LAST_CHANGE;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_PURGE_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_RESOLUTION;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_RESOLVED_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_RESOLVED_BY;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_RETRACTED_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_RETRACTED_BY;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_STATUS;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_TIMELINE;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_UPDATED_AT;
import static dev.tocsin.ingest.alert.repository.AlertEntity.F_VERSION;

/**
 * Reads and writes {@code alerts}. Listing is newest first, with {@code _id} breaking ties of equal times.
 *
 * <p>Every life-cycle write is ONE conditional update whose filter states the precondition (not yet acknowledged,
 * still active, visible to the caller): MongoDB applies a single-document update atomically, so concurrent
 * callers and replicas cannot both pass the precondition, and repeating a write changes nothing. Each write sets
 * {@code lastChange} and {@code updatedAt} and increments {@code version} in that same update, so the change
 * stream event (which carries the whole document) says why it happened and carries the version of exactly that
 * state; a write whose precondition fails changes nothing, its version included.
 * Updates go through {@code updateOne}/{@code updateMany} rather than {@code findOneAndUpdate}: the embedded test
 * server writes no change stream entry for findAndModify.
 *
 * <p>The same update appends the change's entry to the alert's {@code timeline} array ({@code $push} with
 * {@code $slice}), so a change and its timeline entry are stored together or not at all: MongoDB updates one document
 * atomically, and no multi-document transaction is needed (the embedded test server has none). The array keeps the
 * newest {@link #TIMELINE_LIMIT} entries; reads of alerts leave it out, {@link #timeline} reads it alone.
 *
 * <p>The change stream tailer reads {@code alerts} here too, as raw documents ({@link #openChangeStream},
 * {@link #changedSince}): it decides itself what an odd document means.
 */
@ApplicationScoped
public class AlertRepository implements PanacheMongoRepository<AlertEntity> {

    private static final Document NEWEST_FIRST = new Document("createdAt", -1).append("_id", -1);
    /** Alerts still active: {@code status} active or absent (documents written before the life cycle existed). */
    static final Bson ACTIVE = Filters.nin(F_STATUS, List.of("cleared", "expired", "resolved", "retracted"));
    /** Alerts not retracted: only admins see retracted alerts, and no life-cycle write changes one. */
    static final Bson NOT_RETRACTED = Filters.ne(F_STATUS, "retracted");
    /** Most timeline entries kept per alert (the oldest go first): bounds the document and every change event. */
    public static final int TIMELINE_LIMIT = 500;
    /** Alert reads leave the timeline and the notes out: the listing and REST answers never need them. */
    private static final Bson WITHOUT_TIMELINE = Projections.exclude(F_TIMELINE, AlertEntity.F_NOTES);

    /** The same collection as raw documents, for the change stream (a plain client: tests run it without Quarkus). */
    private final MongoCollection<BsonDocument> documents;

    /** How long a closed alert is kept ({@code purgeAt} = the closing write's time plus this). */
    private final Duration closedRetention;
    /** Told about every write that closed alerts (null in tests that run the tailer without Quarkus). */
    private final Event<AlertsClosed> closed;

    @Inject
    public AlertRepository(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database,
            IngestConfig config, Event<AlertsClosed> closed) {
        this(mongo, database, config.retention().closedAlerts(), closed);
    }

    /** For tests that run the tailer without Quarkus: default retention, nobody told of closings. */
    public AlertRepository(MongoClient mongo, String database) {
        this(mongo, database, Duration.ofDays(30), null);
    }

    private AlertRepository(MongoClient mongo, String database, Duration closedRetention, Event<AlertsClosed> closed) {
        this.documents = mongo.getDatabase(database).getCollection(AlertEntity.COLLECTION, BsonDocument.class);
        this.closedRetention = closedRetention;
        this.closed = closed;
    }

    /**
     * Indexes that serve the listing, its filters and the expiry job; idempotent, so every replica may create them.
     * Status with acknowledgedBy serves the status sets of the listing in its newest-first order (the first load
     * asks for active and acknowledged alerts); updatedAt serves {@code updatedSince} and the history-lost replay.
     */
    void createIndexes(@Observes StartupEvent event) {
        try {
            List<Bson> indexes = List.of(
                    Indexes.compoundIndex(Indexes.descending("createdAt"), Indexes.descending("_id")),
                    Indexes.compoundIndex(Indexes.ascending("priority"), Indexes.descending("createdAt")),
                    Indexes.compoundIndex(Indexes.ascending("type"), Indexes.descending("createdAt")),
                    Indexes.compoundIndex(Indexes.ascending(F_STATUS), Indexes.ascending(F_EXPIRES_AT)),
                    Indexes.compoundIndex(Indexes.ascending(F_STATUS), Indexes.ascending(F_ACKNOWLEDGED_BY),
                            Indexes.descending(F_CREATED_AT)),
                    Indexes.compoundIndex(Indexes.ascending(F_UPDATED_AT), Indexes.ascending("_id")));
            for (Bson index : indexes) {
                mongoCollection().createIndex(index, new IndexOptions().background(true));
            }
            TtlIndexes.ensure(mongoCollection(), F_PURGE_AT, 0);
        } catch (RuntimeException e) {
            // Missing indexes slow the listing down but break nothing; the store may be unreachable at start.
            Log.warnf("could not create indexes on %s: %s", AlertEntity.COLLECTION, e.getMessage());
        }
    }

    public List<AlertEntity> list(AlertFilter filter, Caller caller, int page, int size) {
        Page paging = Page.of(page, size);
        return mongoCollection().find(query(filter, caller)).projection(WITHOUT_TIMELINE).sort(NEWEST_FIRST)
                .skip(paging.index * paging.size).limit(paging.size).into(new ArrayList<>());
    }

    public long count(AlertFilter filter, Caller caller) {
        return mongoCollection().countDocuments(query(filter, caller));
    }

    /** The alert if it exists and the caller may see it. */
    public Optional<AlertEntity> findVisible(ObjectId id, Caller caller) {
        return Optional.ofNullable(mongoCollection().find(Filters.and(Filters.eq("_id", id), visibleTo(caller)))
                .projection(WITHOUT_TIMELINE).first());
    }

    /** The alert whoever may see it, without its timeline: for decisions that need to tell 403 from 404. */
    public Optional<AlertEntity> findExisting(ObjectId id) {
        return Optional.ofNullable(mongoCollection().find(Filters.eq("_id", id)).projection(WITHOUT_TIMELINE).first());
    }

    /** The alert's timeline entries, oldest first, if it exists and the caller may see it. */
    public Optional<List<TimelineEntryDoc>> timeline(ObjectId id, Caller caller) {
        AlertEntity entity = mongoCollection().find(Filters.and(Filters.eq("_id", id), visibleTo(caller)))
                .projection(Projections.include(F_TIMELINE)).first();
        return Optional.ofNullable(entity).map(e -> e.timeline == null ? List.of() : e.timeline);
    }

    /**
     * Applies an edit (stored field name to stored value) if the alert is still at {@code expectedVersion} and active.
     * True when it was applied; false when the version moved on, the alert left the active state or is gone.
     */
    public boolean edit(ObjectId id, long expectedVersion, Map<String, Object> changes, List<String> changedFields,
            String actor, Instant at) {
        Date when = Date.from(at);
        List<Bson> updates = new ArrayList<>();
        changes.forEach((field, value) -> updates.add(value == null ? Updates.unset(field) : Updates.set(field, value)));
        TimelineEntryDoc entry = TimelineEntryDoc.of(TimelineKind.EDITED, actor, at);
        entry.fields = changedFields;
        updates.addAll(stamp("updated", when, entry));
        UpdateResult result = mongoCollection().updateOne(
                Filters.and(Filters.eq("_id", id), atVersion(expectedVersion), ACTIVE), Updates.combine(updates));
        return result.getModifiedCount() == 1;
    }

    /**
     * Resolves the alert if it is active or cleared and the caller may see it; true when this call resolved it.
     * An expired alert is over already; a resolved one stays as its first resolver left it.
     */
    public boolean resolve(ObjectId id, Caller caller, String note, Instant at) {
        Date when = Date.from(at);
        TimelineEntryDoc entry = TimelineEntryDoc.of(TimelineKind.RESOLVED, caller.user(), at);
        entry.note = note;
        List<Bson> updates = new ArrayList<>(List.of(
                Updates.set(F_STATUS, "resolved"),
                purgeAfter(at),
                Updates.set(F_RESOLVED_BY, caller.user()),
                Updates.set(F_RESOLVED_AT, when),
                note == null ? Updates.unset(F_RESOLUTION) : Updates.set(F_RESOLUTION, note)));
        updates.addAll(stamp("resolved", when, entry));
        UpdateResult result = mongoCollection().updateOne(Filters.and(Filters.eq("_id", id),
                Filters.or(ACTIVE, Filters.eq(F_STATUS, "cleared")), visibleTo(caller)), Updates.combine(updates));
        return announceClosed(result.getModifiedCount() == 1 ? List.of(id) : List.of(), at) == 1;
    }

    /** Retracts the alert unless it is retracted already; true when this call retracted it. Admins only (caller's job). */
    public boolean retract(ObjectId id, String actor, Instant at) {
        Date when = Date.from(at);
        List<Bson> updates = new ArrayList<>(List.of(
                Updates.set(F_STATUS, "retracted"),
                purgeAfter(at),
                Updates.set(F_RETRACTED_BY, actor),
                Updates.set(F_RETRACTED_AT, when)));
        updates.addAll(stamp("retracted", when, TimelineEntryDoc.of(TimelineKind.RETRACTED, actor, at)));
        UpdateResult result = mongoCollection().updateOne(Filters.and(Filters.eq("_id", id), NOT_RETRACTED),
                Updates.combine(updates));
        return announceClosed(result.getModifiedCount() == 1 ? List.of(id) : List.of(), at) == 1;
    }

    /**
     * Takes back the acknowledgment of {@code acknowledgedBy} (the caller checked who may); true when this call did.
     * Conditional on that same acknowledger, so a concurrent un-ack and re-ack cannot be undone by a stale decision.
     */
    public boolean unacknowledge(ObjectId id, String acknowledgedBy, String actor, Instant at) {
        Date when = Date.from(at);
        List<Bson> updates = new ArrayList<>(List.of(Updates.unset(F_ACKNOWLEDGED_BY), Updates.unset(F_ACKNOWLEDGED_AT)));
        updates.addAll(stamp("unacknowledged", when, TimelineEntryDoc.of(TimelineKind.UNACKNOWLEDGED, actor, at)));
        UpdateResult result = mongoCollection().updateOne(Filters.and(Filters.eq("_id", id),
                Filters.eq(F_ACKNOWLEDGED_BY, acknowledgedBy), NOT_RETRACTED), Updates.combine(updates));
        return result.getModifiedCount() == 1;
    }

    /**
     * Acknowledges the alert for {@code user} if nobody has yet and the caller may see it. True when this call
     * was the one that acknowledged it (exactly one concurrent caller gets true).
     */
    public boolean acknowledge(ObjectId id, Caller caller, Instant at) {
        Date when = Date.from(at);
        UpdateResult result = mongoCollection().updateOne(
                Filters.and(Filters.eq("_id", id), Filters.eq(F_ACKNOWLEDGED_BY, null), NOT_RETRACTED,
                        visibleTo(caller)),
                Updates.combine(concat(List.of(
                        Updates.set(F_ACKNOWLEDGED_BY, caller.user()),
                        Updates.set(F_ACKNOWLEDGED_AT, when)),
                        stamp("acknowledged", when, TimelineEntryDoc.of(TimelineKind.ACKNOWLEDGED, caller.user(), at)))));
        return result.getModifiedCount() == 1;
    }

    /** Marks the active alerts matching the criteria (and visible to the caller) cleared; returns how many. */
    public long clear(ClearCriteria criteria, Caller caller, Instant at) {
        List<Bson> filters = new ArrayList<>();
        filters.add(ACTIVE);
        if (!criteria.priorities().isEmpty()) {
            filters.add(Filters.in("priority", criteria.priorities()));
        }
        if (!criteria.types().isEmpty()) {
            filters.add(Filters.in("type", criteria.types()));
        }
        if (criteria.olderThan() != null) {
            filters.add(Filters.lt(F_CREATED_AT, Date.from(criteria.olderThan())));
        }
        if (criteria.ids() != null) {
            filters.add(Filters.in("_id", criteria.objectIds()));
        }
        filters.add(visibleTo(caller));
        // The ids first, so that their delivery records can be given the same purgeAt; the update stays conditional
        // on the criteria, so an alert closed in between is not closed twice.
        List<ObjectId> ids = idsOf(Filters.and(filters));
        if (ids.isEmpty()) {
            return 0;
        }
        filters.add(Filters.in("_id", ids));
        Date when = Date.from(at);
        UpdateResult result = mongoCollection().updateMany(Filters.and(filters), Updates.combine(concat(List.of(
                Updates.set(F_STATUS, "cleared"),
                purgeAfter(at),
                Updates.set(F_CLEARED_BY, caller.user()),
                Updates.set(F_CLEARED_AT, when)),
                stamp("cleared", when, TimelineEntryDoc.of(TimelineKind.CLEARED, caller.user(), at)))));
        announceClosed(ids, at);
        return result.getModifiedCount();
    }

    /**
     * Marks active alerts whose {@code expiresAt} is not after {@code now} expired; returns how many. {@code actor}
     * names the job in their timelines.
     */
    public long expire(Instant now, String actor) {
        Date when = Date.from(now);
        Bson due = Filters.and(ACTIVE, Filters.lte(F_EXPIRES_AT, when));
        List<ObjectId> ids = idsOf(due);
        if (ids.isEmpty()) {
            return 0;
        }
        UpdateResult result = mongoCollection().updateMany(Filters.and(due, Filters.in("_id", ids)),
                Updates.combine(concat(List.of(Updates.set(F_STATUS, "expired"), purgeAfter(now)),
                        stamp("expired", when, TimelineEntryDoc.of(TimelineKind.EXPIRED, actor, now)))));
        announceClosed(ids, now);
        return result.getModifiedCount();
    }

    /**
     * What every life-cycle write sets besides its own fields: why ({@code lastChange}), when, the next version, and
     * its timeline entry (the newest {@link #TIMELINE_LIMIT} kept).
     */
    static List<Bson> stamp(String lastChange, Date when, TimelineEntryDoc entry) {
        return List.of(
                Updates.set(F_LAST_CHANGE, lastChange),
                Updates.set(F_UPDATED_AT, when),
                Updates.inc(F_VERSION, 1),
                Updates.pushEach(F_TIMELINE, List.of(entry.toDocument()), new PushOptions().slice(-TIMELINE_LIMIT)));
    }

    /**
     * Part of every write that closes an alert: MongoDB's TTL index on {@code purgeAt} removes it once the retention
     * has passed. A write that made an alert active again would unset it; none exists (edits require an active alert).
     */
    private Bson purgeAfter(Instant closedAt) {
        return Updates.set(F_PURGE_AT, Date.from(closedAt.plus(closedRetention)));
    }

    private List<ObjectId> idsOf(Bson filter) {
        List<ObjectId> ids = new ArrayList<>();
        for (AlertEntity alert : mongoCollection().find(filter).projection(Projections.include("_id"))) {
            ids.add(alert.id);
        }
        return ids;
    }

    /**
     * Tells observers (the delivery records) that these alerts were closed at {@code at}; returns how many. An
     * observer's failure is logged, never the closing write's: the write is done and its event published.
     */
    private int announceClosed(List<ObjectId> ids, Instant at) {
        if (!ids.isEmpty() && closed != null) {
            try {
                closed.fire(new AlertsClosed(ids.stream().map(ObjectId::toHexString).toList(),
                        at.plus(closedRetention)));
            } catch (RuntimeException e) {
                Log.warnf("retention of delivery records of %d closed alert(s) not set: %s", ids.size(),
                        e.getMessage());
            }
        }
        return ids.size();
    }

    static List<Bson> concat(List<Bson> own, List<Bson> stamp) {
        List<Bson> all = new ArrayList<>(own);
        all.addAll(stamp);
        return all;
    }

    /** At this version; 0 also matches a document stored before versions existed (no field). */
    private static Bson atVersion(long version) {
        return version == 0 ? Filters.or(Filters.eq(F_VERSION, 0), Filters.exists(F_VERSION, false))
                : Filters.eq(F_VERSION, version);
    }

    /**
     * Opens the change stream of {@code alerts} after {@code startAfter} (null: from now), each change with the
     * document as it is now ({@code updateLookup}). {@code startAfter}, not {@code resumeAfter}: it also accepts
     * the token of an invalidate event. Raw events rather than ChangeStreamDocument, so that the tailer decides
     * what an odd event means instead of failing in the driver's decoder and looping on the same event forever.
     * Blocks until the stream is open; the caller closes it.
     */
    public MongoCursor<BsonDocument> openChangeStream(BsonDocument startAfter, Duration maxAwait) {
        ChangeStreamIterable<BsonDocument> watch = documents.watch(BsonDocument.class)
                .fullDocument(FullDocument.UPDATE_LOOKUP)
                .maxAwaitTime(maxAwait.toMillis(), TimeUnit.MILLISECONDS);
        if (startAfter != null) {
            watch = watch.startAfter(startAfter);
        }
        return watch.withDocumentClass(BsonDocument.class).cursor();
    }

    /**
     * Every alert changed at or after {@code since} ({@code updatedAt}), oldest change first, as raw documents:
     * the tailer re-publishes them when its stream position was lost. The caller closes the cursor.
     */
    public MongoCursor<BsonDocument> changedSince(Instant since) {
        return documents.find(Filters.gte(F_UPDATED_AT, Date.from(since)))
                .sort(Sorts.ascending(F_UPDATED_AT, "_id"))
                .iterator();
    }

    /** {@code <database>.alerts}, for the log. */
    public String namespace() {
        return documents.getNamespace().getFullName();
    }

    private static Bson query(AlertFilter filter, Caller caller) {
        Bson base = filter.toQuery();
        Bson visible = visibleTo(caller);
        return base == null ? visible : Filters.and(base, visible);
    }

    /**
     * The alerts the caller may see: all for admins; for viewers and operators those not retracted and addressed to
     * everyone, to the caller by name, or to one of the caller's groups (the same rule as {@code Audience.includes});
     * for publishers those they created (retracted ones included, so that a repeated retract answers alike). A
     * publisher without a viewing role sees nothing else, not even alerts addressed to everyone.
     */
    static Bson visibleTo(Caller caller) {
        if (caller.isAdmin()) {
            return new Document();
        }
        List<Bson> any = new ArrayList<>();
        if (caller.isReader()) {
            // A retracted alert was sent by mistake: gone for everyone but admins (and its publisher).
            any.add(Filters.and(NOT_RETRACTED, addressedTo(caller)));
        }
        if (caller.isPublisher() && caller.user() != null && !caller.user().isBlank()) {
            any.add(Filters.eq(F_CREATED_BY, caller.user()));
        }
        return any.isEmpty() ? Filters.in("_id", List.of()) : Filters.or(any);
    }

    private static Bson addressedTo(Caller caller) {
        List<Bson> any = new ArrayList<>();
        any.add(Filters.eq("audience.everyone", true));
        any.add(Filters.eq("audience", null));
        if (caller.user() != null) {
            any.add(Filters.eq("audience.users", caller.user()));
        }
        if (!caller.groups().isEmpty()) {
            any.add(Filters.in("audience.groups", caller.groups()));
        }
        return Filters.or(any);
    }

    /**
     * What to clear: stored priority names, types, created before an instant, and/or these alert ids (at least one
     * is set). {@code ids}: null for any alert, else ObjectId hex strings (validated by the caller); a repeated (or
     * differently cased) id counts once.
     */
    public record ClearCriteria(Collection<String> priorities, Collection<String> types, Instant olderThan,
                                Collection<String> ids) {
        public ClearCriteria {
            priorities = priorities == null ? List.of() : List.copyOf(priorities);
            types = types == null ? List.of() : List.copyOf(types);
            ids = ids == null ? null : List.copyOf(ids);
        }

        Set<ObjectId> objectIds() {
            Set<ObjectId> distinct = new LinkedHashSet<>();
            ids.forEach(id -> distinct.add(new ObjectId(id)));
            return distinct;
        }
    }
}
