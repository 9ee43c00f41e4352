package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.hub.EventTranslation;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.pipeline.EventHistory;
import dev.tocsin.gateway.pipeline.EventPipeline;
import dev.tocsin.gateway.pipeline.Position;
import dev.tocsin.gateway.session.MessageSender;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.Cursor;
import dev.tocsin.protocol.message.ErrorCode;
import dev.tocsin.protocol.message.ServerMessage;
import dev.tocsin.protocol.message.ServerMessage.SyncResponse;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Serves {@code sync}: replays from the history what the client missed since its position, then answers
 * {@code sync_response}, then lets the live frames held meanwhile follow, so there is neither hole nor duplicate.
 *
 * <p>The replay covers {@code since+1 .. S}, {@code since} being the base of the client's cursor and S the pipeline's
 * position when the sync starts (every later event is held for the connection). The range comes from the pipeline's
 * recent events when it still keeps them all (no Redis read: a reconnect storm's syncs all ask for the last seconds),
 * else from the Redis history. Events the cursor's lanes say were
 * written already (a critical alert that overtook a batched one) are skipped, and so are events this connection was
 * already handed live: those after its
 * {@linkplain ConnectionRecovery#liveFrom() start} and up to where the hold began, unless its outbound queue dropped them;
 * so are those it got from the offline inbox. When the history no longer holds the whole range, the epoch differs or
 * the replay would exceed {@code maxCount}, nothing is replayed and the answer says {@code recovered:false} with the
 * reason: the client must reload over REST. It never pretends.
 */
@ApplicationScoped
public class SyncService {

    public static final String HISTORY_TRIMMED = "history_trimmed";
    public static final String EPOCH_CHANGED = "epoch_changed";
    public static final String TOO_MANY_EVENTS = "too_many_events";

    private final EventPipeline pipeline;
    private final EventHistory history;
    private final MessageSender sender;
    private final GatewayMetrics metrics;
    private final int defaultMaxCount;
    private final int maxCount;
    private final Duration windowMaxAge;
    private final ReplayFrameCache replayFrames;

    SyncService(EventPipeline pipeline, EventHistory history, MessageSender sender, GatewayMetrics metrics,
            GatewayConfig config) {
        this.pipeline = pipeline;
        this.history = history;
        this.sender = sender;
        this.metrics = metrics;
        this.maxCount = Math.max(1, config.sync().maxCount());
        this.defaultMaxCount = Math.max(1, Math.min(config.sync().defaultMaxCount(), maxCount));
        this.windowMaxAge = config.sync().windowMaxAge();
        // as many as the window keeps, at most 1,024: a storm replays the last seconds, not the whole window
        this.replayFrames = new ReplayFrameCache(Math.min(config.sync().windowSize(), 1024));
    }

    /** Validates the request and queues it on the connection's recovery gate (answers come from there). */
    public void request(Session session, ClientMessage.Sync request) {
        String problem = problem(request);
        if (problem != null) {
            sender.send(session, new ServerMessage.Error(ErrorCode.INVALID_MESSAGE, problem, request.id()));
            return;
        }
        boolean queued = ConnectionRecovery.of(session).gate().submitSync(() -> run(session, request));
        if (!queued) {
            sender.send(session, new ServerMessage.Error(ErrorCode.INVALID_MESSAGE,
                    "a sync is already in progress on this connection", request.id()));
        }
    }

    private static String problem(ClientMessage.Sync request) {
        if (request.since() == null) {
            return "since: required, the last cursor received (0: none)";
        }
        if (request.since().base() > 0 && (request.epoch() == null || request.epoch().isBlank())) {
            return "epoch: required with since > 0";
        }
        if (request.epoch() != null && request.epoch().length() > 200) {
            return "epoch: at most 200 characters";
        }
        if (request.maxCount() != null && request.maxCount() < 1) {
            return "maxCount: at least 1";
        }
        return null;
    }

    private Uni<Void> run(Session session, ClientMessage.Sync request) {
        Position position = pipeline.position();
        String epoch = position.epoch();
        long to = position.seq();
        Cursor cursor = request.since();
        long since = cursor.base();
        String ref = request.id();
        // Everything that touches the connection's delivery (floor, replayed frames, answers) runs on its loop, after
        // the live events up to the hold were handed to it: see ConnectionShard. From here the connection's cursor
        // follows the replay, starting at what the client holds.
        session.onLoop(() -> session.delivery().replayingThrough(since));
        if (since > 0 && !Objects.equals(epoch, request.epoch())) {
            return session.runOnLoop(() -> notRecovered(session, ref, EPOCH_CHANGED, epoch, to));
        }
        if (since >= to) {
            // Nothing missed (or the client is ahead of this gateway: what it holds is not sent again).
            return session.runOnLoop(() -> {
                session.floor(epoch, since);
                recovered(session, ref, epoch, since + 1, Math.max(to, since), 0);
            });
        }
        int limit = request.maxCount() == null ? defaultMaxCount : Math.min(request.maxCount(), maxCount);
        List<AlertEvent> kept = pipeline.recent(epoch, since + 1, to, Instant.now().minus(windowMaxAge));
        metrics.syncRead(kept != null ? "memory" : "history");
        Uni<List<AlertEvent>> missed = kept != null ? Uni.createFrom().item(kept) : readHistory(since, to);
        return missed.flatMap(events -> session.runOnLoop(() -> {
            if (events == null) {
                notRecovered(session, ref, HISTORY_TRIMMED, epoch, to);
            } else {
                replay(session, request, epoch, to, limit, events);
            }
        })).onFailure().recoverWithUni(failure -> {
            Log.warnf("Sync on connection %s failed: %s", session.connectionId(), failure.toString());
            metrics.sync("unavailable");
            return session.runOnLoop(() -> {
                // The live frames held meanwhile go out after this; their cursor must not claim the missed range.
                session.delivery().syncFailed(since);
                sender.send(session, new ServerMessage.Error(ErrorCode.UNAVAILABLE,
                        "the event history cannot be read right now; retry the sync later", ref));
            });
        });
    }

    /** Events {@code since+1..to} from the Redis history; null when it no longer holds the start of the range. */
    private Uni<List<AlertEvent>> readHistory(long since, long to) {
        return history.oldestSeq().flatMap(oldest -> oldest == null || oldest > since + 1
                ? Uni.createFrom().nullItem()
                : history.range(since + 1, to));
    }

    /** On the connection's loop: replays the events the connection is owed and answers, or says why it cannot. */
    private void replay(Session session, ClientMessage.Sync request, String epoch, long to, int limit,
            List<AlertEvent> events) {
        Cursor cursor = request.since();
        long since = cursor.base();
        String ref = request.id();
        Entitlement entitlement = Entitlement.forReplay(events, request.priorities(),
                Boolean.TRUE.equals(request.includeAcknowledged()));
        List<AlertEvent> replay = new ArrayList<>();
        long expected = since + 1;
        for (AlertEvent event : events) {
            if (event.seq() != expected || !Objects.equals(event.epoch(), epoch)) {
                break; // a hole in the history: cannot recover
            }
            expected++;
            if (!cursor.covers(event.seq(), EventTranslation.lane(event))
                    && !alreadySent(session, epoch, event.seq()) && entitlement.replays(event, session)) {
                replay.add(event);
            }
        }
        if (expected != to + 1) {
            notRecovered(session, ref, HISTORY_TRIMMED, epoch, to);
            return;
        }
        if (replay.size() > limit) {
            notRecovered(session, ref, TOO_MANY_EVENTS, epoch, to);
            return;
        }
        ConnectionDelivery delivery = session.delivery();
        for (AlertEvent event : replay) {
            OutboundFrame frame = replayFrames.frameOf(event);
            delivery.replayingThrough(event.seq());
            delivery.send(frame);
            delivery.replayed(event.seq());
        }
        delivery.replayingThrough(to);
        delivery.replayedRange(since + 1, to);
        metrics.replayed("sync", replay.size());
        session.floor(epoch, to);
        recovered(session, ref, epoch, since + 1, to, replay.size());
    }

    /**
     * Whether the connection already got this event: handed live (after its start, up to where the current hold
     * began) and not dropped by its queue, or delivered from the offline inbox.
     */
    private static boolean alreadySent(Session session, String epoch, long seq) {
        ConnectionRecovery recovery = ConnectionRecovery.of(session);
        Position liveFrom = recovery.liveFrom();
        Position holdFrom = recovery.gate().holdFrom();
        boolean sameEpoch = liveFrom.epoch() == null || liveFrom.epoch().equals(epoch);
        if (!sameEpoch) {
            return false;
        }
        if (recovery.fromInbox(seq)) {
            return true;
        }
        long handedUpTo = holdFrom == null ? Long.MAX_VALUE : holdFrom.seq();
        return seq > liveFrom.seq() && seq <= handedUpTo && !session.delivery().wasDropped(seq);
    }

    private void recovered(Session session, String ref, String epoch, long from, long to, int count) {
        metrics.sync("recovered");
        session.delivery().syncAnswered();
        sender.send(session, SyncResponse.recovered(ref, epoch, from, to, count));
        Log.debugf("Sync on connection %s: replayed %d events of %d..%d", session.connectionId(), count, from, to);
    }

    private void notRecovered(Session session, String ref, String reason, String epoch, long seq) {
        metrics.sync(reason);
        // The client reloads over REST and continues from here: live frames up to here would only repeat that.
        session.floor(epoch, seq);
        session.delivery().replayingThrough(seq);
        session.delivery().syncAnswered();
        sender.send(session, SyncResponse.notRecovered(ref, reason, epoch, seq));
        Log.debugf("Sync on connection %s not recovered: %s", session.connectionId(), reason);
    }
}
