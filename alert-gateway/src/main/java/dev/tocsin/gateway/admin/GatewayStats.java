package dev.tocsin.gateway.admin;

import dev.tocsin.gateway.broker.RedisEventSubscription;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.drain.DrainState;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.pipeline.EventPipeline;
import dev.tocsin.gateway.pipeline.Position;
import dev.tocsin.gateway.presence.InstanceId;
import dev.tocsin.gateway.session.Session;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.Set;

/**
 * Builds the admin stats summary from what the gateway already keeps: the connection registry, the meters
 * ({@link GatewayMetrics}) and the pipeline's position. Nothing is counted twice.
 */
@ApplicationScoped
public class GatewayStats {

    private final OpenConnections connections;
    private final GatewayMetrics metrics;
    private final EventPipeline pipeline;
    private final RedisEventSubscription subscription;
    private final InstanceId instanceId;
    private final DrainState drain;
    private final long heartbeatMs;

    GatewayStats(OpenConnections connections, GatewayMetrics metrics, EventPipeline pipeline,
            RedisEventSubscription subscription, InstanceId instanceId, DrainState drain, GatewayConfig config) {
        this.connections = connections;
        this.metrics = metrics;
        this.pipeline = pipeline;
        this.subscription = subscription;
        this.instanceId = instanceId;
        this.drain = drain;
        this.heartbeatMs = config.heartbeatInterval().toMillis();
    }

    public Summary summary() {
        long now = System.currentTimeMillis();
        int open = 0;
        int healthy = 0;
        Set<String> users = new HashSet<>();
        for (WebSocketConnection connection : connections) {
            Session session = Session.of(connection);
            if (session == null || !connection.isOpen()) {
                continue;
            }
            open++;
            users.add(session.principal().user());
            if (now - session.lastHeardMillis() <= heartbeatMs) {
                healthy++;
            }
        }
        Position position = pipeline.position();
        return new Summary(instanceId.value(), drain.draining(), open, healthy, users.size(),
                Math.round(metrics.averageLatencyMs() * 100) / 100.0, metrics.messagesSentTotal(),
                metrics.rateLimitedTotal(), metrics.bansTotal(), metrics.droppedTotal(),
                new OfflineQueue(metrics.inboxDeliveriesTotal(), metrics.inboxDroppedTotal()),
                new Redis(subscription.isActive(), position.seq(), position.epoch(), subscription.resubscriptions(),
                        metrics.historyMissesTotal()));
    }

    /**
     * @param healthyConnections connections heard from within one heartbeat interval
     * @param averageLatencyMs   mean alert delivery latency (createdAt → written) over the process's life
     * @param droppedFrames      events dropped for slow connections
     */
    @RegisterForReflection
    public record Summary(String instanceId, boolean draining, int connections, int healthyConnections, int users,
                          double averageLatencyMs, long messagesSent, long rateLimitViolations, long bans,
                          long droppedFrames, OfflineQueue offlineQueue, Redis redis) {
    }

    /** @param inboxUsersDelivered connections that received offline-inbox entries */
    @RegisterForReflection
    public record OfflineQueue(long inboxUsersDelivered, long inboxDropped) {
    }

    @RegisterForReflection
    public record Redis(boolean subscribed, long lastSeq, String epoch, long resubscriptions, long historyMisses) {
    }
}
