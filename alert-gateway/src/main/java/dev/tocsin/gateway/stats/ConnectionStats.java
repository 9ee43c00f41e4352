package dev.tocsin.gateway.stats;

import dev.tocsin.protocol.message.ServerMessage;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Counters of one connection for {@code connection_stats}: frames received and written, events dropped, and the
 * delivery latency from an alert's {@code createdAt} to the moment its frame was written to the socket.
 */
public final class ConnectionStats {

    // Field updaters, not AtomicLong objects: one of these lives per connection.
    private static final AtomicLongFieldUpdater<ConnectionStats> RECEIVED =
            AtomicLongFieldUpdater.newUpdater(ConnectionStats.class, "received");
    private static final AtomicLongFieldUpdater<ConnectionStats> SENT =
            AtomicLongFieldUpdater.newUpdater(ConnectionStats.class, "sent");
    private static final AtomicLongFieldUpdater<ConnectionStats> DROPPED =
            AtomicLongFieldUpdater.newUpdater(ConnectionStats.class, "dropped");

    private final Instant connectedAt;
    private volatile long received;
    private volatile long sent;
    private volatile long dropped;
    private long latencySamples;
    private double latencySum;
    private long latencyMax;

    public ConnectionStats(Instant connectedAt) {
        this.connectedAt = connectedAt;
    }

    public void received() {
        RECEIVED.incrementAndGet(this);
    }

    public void sent() {
        SENT.incrementAndGet(this);
    }

    public void dropped(long events) {
        DROPPED.addAndGet(this, events);
    }

    /** Records one alert's latency in ms; negative values (clock skew between hosts) count as zero. */
    public synchronized void latency(long millis) {
        long value = Math.max(0, millis);
        latencySamples++;
        latencySum += value;
        latencyMax = Math.max(latencyMax, value);
    }

    public synchronized ServerMessage.ConnectionStats snapshot(String ref) {
        double avg = latencySamples == 0 ? 0 : latencySum / latencySamples;
        return new ServerMessage.ConnectionStats(ref, received, sent, dropped,
                new ServerMessage.Latency(Math.round(avg * 100) / 100.0, latencyMax, latencySamples), connectedAt);
    }
}
