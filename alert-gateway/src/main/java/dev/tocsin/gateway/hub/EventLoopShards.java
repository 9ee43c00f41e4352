package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One {@link ConnectionShard} per event loop that holds connections, created when the loop's first connection opens.
 * The fan-out reads {@link #all()} (an array replaced, never changed, when a shard is added) without a lock.
 */
@Singleton
public class EventLoopShards {

    private final Map<Object, ConnectionShard> byLoop = new IdentityHashMap<>();
    private volatile ConnectionShard[] all = new ConnectionShard[0];
    /** Most events one connection gets in one pass: a burst's critical alerts travel in batches this large. */
    private final int maxRun;

    EventLoopShards(GatewayConfig config) {
        this.maxRun = Math.max(1, config.batch().maxSize());
    }

    /** The shard of the event loop this is called on; connections open on their own loop. */
    public ConnectionShard current() {
        ContextInternal context = (ContextInternal) Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            throw new IllegalStateException("not on a Vert.x event loop: connections must be opened on their own loop");
        }
        return shardOf(context);
    }

    private synchronized ConnectionShard shardOf(ContextInternal context) {
        // Keyed by the Netty loop: every context on it (one per connection) shares the one queue.
        ConnectionShard shard = byLoop.get(context.nettyEventLoop());
        if (shard == null) {
            shard = new ConnectionShard(context.unwrap(), all.length, maxRun);
            byLoop.put(context.nettyEventLoop(), shard);
            ConnectionShard[] grown = Arrays.copyOf(all, all.length + 1);
            grown[grown.length - 1] = shard;
            all = grown;
        }
        return shard;
    }

    /** Every shard; do not modify the array. */
    public ConnectionShard[] all() {
        return all;
    }

    /** Whether no shard has a task queued or running. */
    public boolean idle() {
        for (ConnectionShard shard : all) {
            if (shard.busy()) {
                return false;
            }
        }
        return true;
    }
}
