package dev.tocsin.ingest.changestream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/**
 * Removes history entries whose event was published before a cutoff. Entry ids are positions ({@code <seq>-0}),
 * not times, so the oldest entries are read in batches ({@code XRANGE - + COUNT n}) until the first one that is
 * young enough, and everything before it goes with {@code XTRIM MINID <its id>}. Safe with several replicas at
 * once: MINID only ever removes entries below an id whose entries were all seen to be old, and a repeat is a
 * no-op. An event without a readable {@code publishedAt} counts as young (never removed for age).
 */
@ApplicationScoped
public class HistoryTrimmer {

    static final int BATCH = 100;
    /** Bounds one run; a longer backlog is trimmed over the next runs. */
    static final int MAX_BATCHES = 100;

    private final Redis redis;
    private final String history;
    private final Duration timeout;

    public HistoryTrimmer(Redis redis, IngestConfig config) {
        this.redis = redis;
        this.history = new RedisKeys(config.redis().keyPrefix()).history();
        this.timeout = config.redis().publishTimeout();
    }

    /** Removes the entries published before {@code cutoff}; returns how many were removed. */
    public long trimPublishedBefore(Instant cutoff) {
        String start = "-";
        String firstYoung = null;
        String lastOld = null;
        scan:
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            Response entries = send(Request.cmd(Command.XRANGE).arg(history).arg(start).arg("+").arg("COUNT").arg(BATCH));
            if (entries == null || entries.size() == 0) {
                break;
            }
            for (int i = 0; i < entries.size(); i++) {
                Response entry = entries.get(i);
                String id = entry.get(0).toString();
                Instant publishedAt = publishedAt(entry.get(1));
                if (publishedAt == null || !publishedAt.isBefore(cutoff)) {
                    firstYoung = id;
                    break scan;
                }
                lastOld = id;
            }
            if (entries.size() < BATCH) {
                break;
            }
            start = "(" + lastOld; // exclusive start (Redis 6.2+)
        }
        String minId = firstYoung != null ? firstYoung : lastOld == null ? null : after(lastOld);
        if (minId == null) {
            return 0;
        }
        Response removed = send(Request.cmd(Command.XTRIM).arg(history).arg("MINID").arg(minId));
        return removed == null ? 0 : removed.toLong();
    }

    /** The smallest stream id above {@code id} ({@code ms-seq}). */
    static String after(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return id + "-1";
        }
        return id.substring(0, dash) + "-" + (Long.parseLong(id.substring(dash + 1)) + 1);
    }

    private static Instant publishedAt(Response fields) {
        for (int f = 0; f + 1 < fields.size(); f += 2) {
            if ("event".equals(fields.get(f).toString())) {
                try {
                    JsonNode node = Json.mapper().readTree(fields.get(f + 1).toString()).get("publishedAt");
                    return node == null || !node.isTextual() ? null : Instant.parse(node.asText());
                } catch (Exception e) {
                    return null;
                }
            }
        }
        return null;
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(timeout);
    }
}
