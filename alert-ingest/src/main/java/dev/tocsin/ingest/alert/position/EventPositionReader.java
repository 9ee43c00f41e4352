package dev.tocsin.ingest.alert.position;

import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.event.RedisKeys;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Reads the position of the last published change event: {@code <prefix>seq} and {@code <prefix>epoch}, which the
 * publish script sets together (see {@code lua/publish-event.lua}). One MGET, so the pair is read as one snapshot
 * of the two keys. Blocking: called on worker threads.
 */
@ApplicationScoped
public class EventPositionReader {

    private final Redis redis;
    private final RedisKeys keys;
    private final Duration timeout;

    public EventPositionReader(Redis redis, IngestConfig config) {
        this.redis = redis;
        this.keys = new RedisKeys(config.redis().keyPrefix());
        this.timeout = config.api().positionTimeout();
    }

    /**
     * The current position; {@link EventPosition#NONE} when nothing was published (or Redis lost its keys since:
     * seq 0 is still a true lower bound). Throws when Redis does not answer within the timeout.
     */
    public EventPosition current() {
        Response answer = redis.send(Request.cmd(Command.MGET).arg(keys.sequence()).arg(keys.epoch()))
                .await().atMost(timeout);
        if (answer == null || answer.size() < 2 || answer.get(0) == null) {
            return EventPosition.NONE;
        }
        Response epoch = answer.get(1);
        return new EventPosition(epoch == null ? null : epoch.toString(), answer.get(0).toLong());
    }
}
