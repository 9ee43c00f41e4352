package dev.tocsin.gateway.stats;

import dev.tocsin.protocol.message.ServerMessage;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one connection for {@code connection_stats}: frames received and written, events dropped, and the
 * delivery latency from an alert's {@code createdAt} to the moment its frame was written to the socket.
 */
public final class ConnectionStats {

    private final Instant connectedAt;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private long latencySamples;
    private double latencySum;
    private long latencyMax;

    public ConnectionStats(Instant connectedAt) {
        this.connectedAt = connectedAt;
    }

    public void received() {
        received.incrementAndGet();
    }

    public void sent() {
        sent.incrementAndGet();
    }

    public void dropped(long events) {
        dropped.addAndGet(events);
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
        return new ServerMessage.ConnectionStats(ref, received.get(), sent.get(), dropped.get(),
                new ServerMessage.Latency(Math.round(avg * 100) / 100.0, latencyMax, latencySamples), connectedAt);
    }
}
