package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.broker.AlertEventDecoder;
import dev.tocsin.gateway.broker.RejectedEventException;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.gateway.delivery.OutboundFrame;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.pipeline.EventPipeline;
import dev.tocsin.gateway.pipeline.Position;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.MessageTypes;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Delivers the offline inbox on a user's new connection, before any live frame: notification-relay keeps the alerts
 * an offline user missed in the list {@code <prefix>inbox:{user}} (AlertEvent JSON, optionally prefixed {@code c|} or
 * {@code n|}, newest last, bounded; {@code x|...} marks an entry the relay withdrew, skipped here) and counts what did not fit in {@code <prefix>inbox:{user}:dropped}.
 *
 * <p>The entries the connection is entitled to are sent as normal frames, except events it will receive live anyway
 * (after its start position) and events a {@code sync} sent first already covered; an {@code inbox} notice follows
 * when some were dropped. Only once the last frame was
 * written to the socket are the read entries removed ({@code LTRIM}) and the counter deleted: a connection that dies
 * before leaves them for the next one.
 */
@ApplicationScoped
public class InboxReplay {

    private final ReactiveRedisDataSource redis;
    private final EventPipeline pipeline;
    private final GatewayMetrics metrics;
    private final String prefix;
    private final Duration timeout;

    InboxReplay(ReactiveRedisDataSource redis, EventPipeline pipeline, GatewayMetrics metrics, GatewayConfig config) {
        this.redis = redis;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.prefix = config.keyPrefix();
        this.timeout = config.historyReadTimeout();
    }

    /** The inbox list of a user. */
    public String inboxKey(String user) {
        return prefix + "inbox:" + user;
    }

    /** The counter of alerts that did not fit in the user's inbox. */
    public String droppedKey(String user) {
        return inboxKey(user) + ":dropped";
    }

    /** Sends what the inbox holds for this connection's user; completes once the frames are queued. */
    public Uni<Void> deliver(Session session) {
        String user = session.principal().user();
        String key = inboxKey(user);
        String droppedKey = droppedKey(user);
        return redis.getRedis().batch(List.of(
                        Request.cmd(Command.LRANGE).arg(key).arg(0).arg(-1),
                        Request.cmd(Command.GET).arg(droppedKey)))
                .ifNoItem().after(timeout).fail()
                .flatMap(responses -> {
                    Response list = responses.get(0);
                    Response dropped = responses.get(1);
                    List<String> entries = new ArrayList<>();
                    if (list != null) {
                        for (int i = 0; i < list.size(); i++) {
                            entries.add(list.get(i).toString());
                        }
                    }
                    long droppedCount = dropped == null ? 0 : parseCount(dropped.toString());
                    // On the connection's loop, in order with its live events (see ConnectionShard).
                    return session.runOnLoop(() -> send(session, key, droppedKey, entries, droppedCount));
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Could not read the offline inbox of connection %s (it stays for the next one): %s",
                            session.connectionId(), failure.toString());
                    return null;
                });
    }

    private void send(Session session, String key, String droppedKey, List<String> entries, long dropped) {
        if (entries.isEmpty() && dropped <= 0) {
            return;
        }
        Position position = pipeline.position();
        ConnectionRecovery recovery = ConnectionRecovery.of(session);
        Position liveFrom = recovery.liveFrom();
        List<OutboundFrame> frames = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String entry : entries) {
            if (entry.startsWith("x|")) {
                continue; // withdrawn by the relay (alert retracted or deleted); replaced in place, trimmed below
            }
            AlertEvent event = decode(entry);
            if (event == null || !seen.add(event.epoch() + "/" + event.seq() + "/" + event.changeId())) {
                continue;
            }
            boolean currentEpoch = Objects.equals(event.epoch(), position.epoch());
            if (currentEpoch && event.seq() > liveFrom.seq()) {
                continue; // it reaches this connection live
            }
            if (session.skips(event.epoch(), event.seq())) {
                continue; // a sync covered it already (or the client said it holds it)
            }
            if (!Entitlement.live(event, session)) {
                continue;
            }
            if (currentEpoch) {
                recovery.inboxDelivered(event.seq());
            }
            frames.add(ReplayFrames.fromInbox(event));
        }
        ConnectionDelivery delivery = session.delivery();
        int count = entries.size();
        Runnable cleanUp = () -> redis.getRedis().batch(List.of(
                        // Entries are appended at the tail: the first `count` are the ones read.
                        Request.cmd(Command.LTRIM).arg(key).arg(count).arg(-1),
                        Request.cmd(Command.DEL).arg(droppedKey)))
                .subscribe().with(ignored -> Log.debugf("Inbox of connection %s delivered and removed",
                                session.connectionId()),
                        failure -> Log.warnf("Could not remove delivered inbox entries (%s): %s", key,
                                failure.toString()));
        OutboundFrame last = null;
        if (dropped > 0) {
            last = OutboundFrame.control(MessageTypes.INBOX, Json.encode(new ServerMessage.Inbox(frames.size(), dropped)));
        } else if (!frames.isEmpty()) {
            last = frames.remove(frames.size() - 1);
        }
        for (OutboundFrame frame : frames) {
            delivery.send(frame);
        }
        int delivered = frames.size() + (dropped > 0 ? 0 : 1);
        if (last == null) {
            cleanUp.run();
        } else {
            delivery.send(last, written -> {
                if (written) {
                    cleanUp.run();
                } else {
                    Log.debugf("Inbox of connection %s not fully written; kept for the next connection",
                            session.connectionId());
                }
            });
        }
        metrics.replayed("inbox", dropped > 0 ? frames.size() : delivered);
        metrics.inboxDelivered(Math.max(0, dropped));
        Log.debugf("Delivered %d inbox frames to connection %s (%d dropped)", (Object) delivered, session.connectionId(),
                dropped);
    }

    private static AlertEvent decode(String entry) {
        String json = entry.startsWith("c|") || entry.startsWith("n|") ? entry.substring(2) : entry;
        try {
            return AlertEventDecoder.decode(json);
        } catch (RejectedEventException e) {
            Log.warnf("Skipped an inbox entry that is not a usable event (%s): %s", e.reason().tag(), e.getMessage());
            return null;
        }
    }

    private static long parseCount(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
