package dev.tocsin.gateway.broker;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.pipeline.EventHistory;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The history stream as alert-ingest writes it: entry id {@code <seq>-0}, field {@code event} = the AlertEvent JSON.
 * Read by position with {@code XRANGE <from>-0 <to>-0}, in pages. Reactive; every read has a deadline.
 */
@ApplicationScoped
public class RedisEventHistory implements EventHistory {

    /** Entries per XRANGE call: large ranges are read page by page. */
    static final int PAGE = 500;

    private final ReactiveRedisDataSource redis;
    private final GatewayMetrics metrics;
    private final RedisKeys keys;
    private final Duration timeout;

    RedisEventHistory(ReactiveRedisDataSource redis, GatewayMetrics metrics, GatewayConfig config) {
        this.redis = redis;
        this.metrics = metrics;
        this.keys = new RedisKeys(config.keyPrefix());
        this.timeout = config.historyReadTimeout();
    }

    @Override
    public Uni<List<AlertEvent>> range(long fromSeq, long toSeq) {
        return page(Math.max(1, fromSeq), toSeq, new ArrayList<>());
    }

    private Uni<List<AlertEvent>> page(long from, long to, List<AlertEvent> into) {
        if (from > to) {
            return Uni.createFrom().item(into);
        }
        return redis.execute("XRANGE", keys.history(), from + "-0", to + "-0", "COUNT", Integer.toString(PAGE))
                .ifNoItem().after(timeout).fail()
                .flatMap(response -> {
                    int entries = response == null ? 0 : response.size();
                    long last = from - 1;
                    for (int i = 0; i < entries; i++) {
                        Response entry = response.get(i);
                        long seq = seqOf(entry.get(0).toString());
                        last = Math.max(last, seq);
                        AlertEvent event = decode(seq, entry.get(1));
                        if (event != null) {
                            into.add(event);
                        }
                    }
                    if (entries < PAGE || last >= to) {
                        return Uni.createFrom().item(into);
                    }
                    return page(last + 1, to, into);
                });
    }

    @Override
    public Uni<Tail> tail() {
        return redis.execute("MGET", keys.epoch(), keys.sequence())
                .ifNoItem().after(timeout).fail()
                .map(response -> {
                    Response epoch = response.get(0);
                    Response seq = response.get(1);
                    return new Tail(epoch == null ? null : epoch.toString(),
                            seq == null ? null : Long.parseLong(seq.toString()));
                });
    }

    @Override
    public Uni<Long> oldestSeq() {
        return redis.execute("XRANGE", keys.history(), "-", "+", "COUNT", "1")
                .ifNoItem().after(timeout).fail()
                .map(response -> response == null || response.size() == 0 ? null
                        : seqOf(response.get(0).get(0).toString()));
    }

    /** The sequence number of an entry id {@code <seq>-0}. */
    static long seqOf(String id) {
        int dash = id.indexOf('-');
        return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    }

    private AlertEvent decode(long seq, Response fields) {
        String text = field(fields, "event");
        if (text == null) {
            metrics.eventDecodeFailed("malformed");
            Log.warnf("History entry %d has no event field", seq);
            return null;
        }
        try {
            return AlertEventDecoder.decode(text);
        } catch (RejectedEventException e) {
            metrics.eventDecodeFailed(e.reason().tag());
            Log.warnf("History entry %d is not a usable event (%s): %s", seq, e.reason().tag(), e.getMessage());
            return null;
        }
    }

    /** A field of a stream entry: a flat list {@code [name, value, ...]} (RESP2 and RESP3), or a map. */
    private static String field(Response fields, String name) {
        if (fields == null) {
            return null;
        }
        try {
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if (name.equals(fields.get(i).toString())) {
                    Response value = fields.get(i + 1);
                    return value == null ? null : value.toString();
                }
            }
            return null;
        } catch (RuntimeException notAList) {
            Response value = fields.get(name);
            return value == null ? null : value.toString();
        }
    }
}
