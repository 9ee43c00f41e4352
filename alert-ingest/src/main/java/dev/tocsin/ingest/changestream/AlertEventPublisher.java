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
 * Publishes one event to Redis with the publish script (history stream, relay stream and pub/sub in one atomic step; EVALSHA, falling back to EVAL when Redis does not know
 * the script yet, for example after a restart). Blocking: called only from the tailer's own thread.
 */
@ApplicationScoped
public class AlertEventPublisher {

    private final Redis redis;
    private final RedisKeys keys;
    private final long historyMaxLength;
    private final long relayMaxLength;
    private final Duration timeout;
    private final PublishScript script = PublishScript.get();

    public AlertEventPublisher(Redis redis, IngestConfig config) {
        this.redis = redis;
        this.keys = new RedisKeys(config.redis().keyPrefix());
        this.historyMaxLength = config.redis().historyMaxLength();
        this.relayMaxLength = config.redis().relayMaxLength();
        this.timeout = config.redis().publishTimeout();
    }

    /**
     * Publishes the event (its {@code epoch} and {@code seq} are ignored: Redis assigns them) and returns the
     * assigned seq. Throws when the publish failed or timed out; a timed-out publish may still have happened,
     * so consumers de-duplicate on {@code changeId}.
     */
    public long publish(AlertEvent event) {
        String body = PublishScript.body(event);
        String epochCandidate = UUID.randomUUID().toString().replace("-", "");
        try {
            return call(Command.EVALSHA, script.sha1(), body, epochCandidate);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                return call(Command.EVAL, script.source(), body, epochCandidate);
            }
            throw e;
        }
    }

    private long call(Command command, String scriptOrSha, String body, String epochCandidate) {
        Request request = Request.cmd(command).arg(scriptOrSha).arg(5)
                .arg(keys.sequence()).arg(keys.epoch()).arg(keys.history()).arg(keys.eventsChannel())
                .arg(keys.relayStream())
                .arg(body).arg(historyMaxLength).arg(epochCandidate).arg(relayMaxLength);
        Response response = redis.send(request).await().atMost(timeout);
        if (response == null) {
            throw new IllegalStateException("publish script returned nothing");
        }
        return response.toLong();
    }
}
