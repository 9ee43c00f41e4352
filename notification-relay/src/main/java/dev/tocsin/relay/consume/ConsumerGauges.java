package dev.tocsin.relay.consume;

import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.metrics.RelayMetrics;
import dev.tocsin.relay.redis.RelayKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;

/**
 * Refreshes the consumer gauges every {@code consumer.gauge-interval}: entries pending in the group (read, not
 * acknowledged, {@code XPENDING}) and the group's lag (entries not yet read, {@code XINFO GROUPS}, Redis 7+).
 * A gauge reads -1 while Redis cannot tell.
 */
@Singleton
public class ConsumerGauges {

    private final ReactiveRedisDataSource redis;
    private final RelayMetrics metrics;
    private final RelayConfig.Consumer config;
    private final String stream;

    public ConsumerGauges(ReactiveRedisDataSource redis, RelayMetrics metrics, RelayKeys keys, RelayConfig config) {
        this.redis = redis;
        this.metrics = metrics;
        this.config = config.consumer();
        this.stream = keys.shared().relayStream();
    }

    /**
     * One refresh, on the event loop. A slow one is never overlapped by the next, and none starts once shutdown
     * began (the Redis client goes soon after).
     */
    @Scheduled(identity = "relay-consumer-gauges", every = "${tocsin.relay.consumer.gauge-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refresh() {
        return redis.execute("XINFO", "GROUPS", stream).invoke(groups -> {
            long pending = -1;
            long lag = -1;
            if (groups != null) {
                for (Response group : groups) {
                    if (config.group().equals(field(group, "name"))) {
                        pending = number(field(group, "pending"));
                        lag = number(field(group, "lag"));
                    }
                }
            }
            metrics.consumerPending(pending);
            metrics.consumerLag(lag);
        }).replaceWithVoid().onFailure().recoverWithItem(failure -> {
            metrics.consumerPending(-1);
            metrics.consumerLag(-1);
            return null;
        });
    }

    /** A field of one XINFO GROUPS entry, whether Redis answered with a map (RESP3) or a flat list (RESP2). */
    private static String field(Response entry, String name) {
        try {
            if (entry.containsKey(name)) {
                Response value = entry.get(name);
                return value == null ? null : value.toString();
            }
        } catch (RuntimeException ignored) {
            // not a map: fall through to the flat list
        }
        for (int i = 0; i + 1 < entry.size(); i += 2) {
            if (name.equals(String.valueOf(entry.get(i)))) {
                Response value = entry.get(i + 1);
                return value == null ? null : value.toString();
            }
        }
        return null;
    }

    private static long number(String text) {
        try {
            return text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
