package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link ConnectionShard} per event loop that holds connections, created when the loop's first connection opens.
 * The fan-out reads {@link #all()} (a list replaced, never changed, when a shard is added) without a lock.
 *
 * <p>The one instance is produced where the member type is known (the session package), so that features walking a
 * shard's members get sessions without a cast.
 *
 * @param <R> what the members are
 */
public final class EventLoopShards<R extends Recipient> {

    private final Map<Object, ConnectionShard<R>> byLoop = new IdentityHashMap<>();
    private volatile List<ConnectionShard<R>> all = List.of();
    /** Most events one connection gets in one pass: a burst's critical alerts travel in batches this large. */
    private final int maxRun;
    private final ShardFanout fanout;

    public EventLoopShards(GatewayConfig config, GatewayMetrics metrics) {
        this.maxRun = Math.max(1, config.batch().maxSize());
        this.fanout = new ShardFanout(metrics);
    }

    /** The shard of the event loop this is called on; connections open on their own loop. */
    public ConnectionShard<R> current() {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            throw new IllegalStateException("not on a Vert.x event loop: connections must be opened on their own loop");
        }
        return shardOf(context);
    }

    private synchronized ConnectionShard<R> shardOf(ContextInternal context) {
        // Keyed by the Netty loop: every context on it (one per connection) shares the one queue.
        ConnectionShard<R> shard = byLoop.get(context.nettyEventLoop());
        if (shard == null) {
            shard = new ConnectionShard<>(context.unwrap(), all.size(), maxRun, fanout);
            byLoop.put(context.nettyEventLoop(), shard);
            List<ConnectionShard<R>> grown = new ArrayList<>(all);
            grown.add(shard);
            all = List.copyOf(grown);
        }
        return shard;
    }

    /** Every shard, in creation order; an unmodifiable snapshot. */
    public List<ConnectionShard<R>> all() {
        return all;
    }

    /** Whether no shard has a task queued or running. */
    public boolean idle() {
        for (ConnectionShard<R> shard : all) {
            if (shard.busy()) {
                return false;
            }
        }
        return true;
    }
}
