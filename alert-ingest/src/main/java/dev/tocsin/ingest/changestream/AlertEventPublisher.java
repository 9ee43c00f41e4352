package dev.tocsin.ingest.changestream;

import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.RedisKeys;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.UUID;

/**
 * Publishes one event to Redis with the publish script (history stream, relay stream and pub/sub in one atomic
 * step; EVALSHA, falling back to EVAL when Redis does not know the script yet, for example after a restart).
 * Blocking: called only from the tailer's own thread.
 */
@ApplicationScoped
public class AlertEventPublisher {

    /** The script's answer when the caller named a leader token it no longer holds. */
    public static final String NOT_LEADER = "NOTLEADER";

    private final Redis redis;
    private final RedisKeys keys;
    private final String leaderKey;
    private final long historyMaxLength;
    private final long relayMaxLength;
    private final long dedupWindowSeconds;
    private final Duration timeout;
    private final PublishScript script = PublishScript.get();

    public AlertEventPublisher(Redis redis, IngestConfig config) {
        this.redis = redis;
        this.keys = new RedisKeys(config.redis().keyPrefix());
        this.leaderKey = TailerLeadership.leaderKey(config);
        this.historyMaxLength = config.redis().historyMaxLength();
        this.relayMaxLength = config.redis().relayMaxLength();
        this.dedupWindowSeconds = Math.max(1, config.redis().dedupWindow().toSeconds());
        this.timeout = config.redis().publishTimeout();
    }

    /** Publishes without a stored position and without a leader check (tests and tools). */
    public long publish(AlertEvent event) {
        return publish(event, SequencePosition.NONE, null).seq();
    }

    /**
     * Publishes the event (its {@code epoch} and {@code seq} are ignored: Redis assigns them). {@code stored} is
     * the position this service last stored: when Redis lost its counter the sequence continues from it.
     * {@code leaderToken}, when set, must still hold the leader lock or nothing is published
     * ({@link NotLeaderException}). A change whose {@code changeId} was published within the de-duplication
     * window is not published again ({@link Published#duplicate()}). Throws when the publish failed or timed
     * out; a timed-out publish may still have happened, and its retry is then recognised as a duplicate.
     */
    public Published publish(AlertEvent event, SequencePosition stored, String leaderToken) {
        return publish(event, stored, leaderToken, false);
    }

    /**
     * As {@link #publish(AlertEvent, SequencePosition, String)}; the script refuses with {@link LostWritesException}
     * when the history of the stored epoch ends below the stored position, unless {@code republishingLost} says
     * the caller is already re-publishing what was lost (the sequence then continues after the stored position).
     */
    public Published publish(AlertEvent event, SequencePosition stored, String leaderToken, boolean republishingLost) {
        String body = PublishScript.body(event);
        String epochCandidate = UUID.randomUUID().toString().replace("-", "");
        Request eval = request(Command.EVALSHA, script.sha1(), event.changeId(), body, epochCandidate, stored, leaderToken,
                republishingLost);
        try {
            return call(eval);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                return call(request(Command.EVAL, script.source(), event.changeId(), body, epochCandidate, stored,
                        leaderToken, republishingLost));
            }
            throw e;
        }
    }

    /** The de-duplication key of a change. */
    public String dedupKey(String changeId) {
        return keys.prefix() + "change:" + changeId;
    }

    private Request request(Command command, String scriptOrSha, String changeId, String body, String epochCandidate,
            SequencePosition stored, String leaderToken, boolean republishingLost) {
        return Request.cmd(command).arg(scriptOrSha).arg(7)
                .arg(keys.sequence()).arg(keys.epoch()).arg(keys.history()).arg(keys.eventsChannel())
                .arg(keys.relayStream()).arg(dedupKey(changeId)).arg(leaderKey)
                .arg(body).arg(historyMaxLength).arg(epochCandidate).arg(relayMaxLength)
                .arg(stored.known() ? stored.lastSeq() : -1).arg(stored.known() ? stored.epoch() : "")
                .arg(dedupWindowSeconds).arg(leaderToken == null ? "" : leaderToken)
                .arg(republishingLost ? "1" : "");
    }

    private Published call(Request request) {
        Response response;
        try {
            response = redis.send(request).await().atMost(timeout);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(NOT_LEADER)) {
                throw new NotLeaderException();
            }
            if (e.getMessage() != null && e.getMessage().startsWith(LostWritesException.CODE)) {
                throw LostWritesException.parse(e.getMessage());
            }
            throw e;
        }
        if (response == null || response.size() < 3) {
            throw new IllegalStateException("publish script returned no position");
        }
        return new Published(response.get(0).toLong(), response.get(1).toString(), response.get(2).toInteger() == 1);
    }

    /** This replica no longer holds the leader lock; it must stop publishing. */
    public static final class NotLeaderException extends RuntimeException {
        public NotLeaderException() {
            super("this replica does not hold the ingest leader lock", null, false, false);
        }
    }
}
