package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.alert.Priority;

/** What a connection's delivery counts (metrics), kept apart so the delivery logic stays plain Java. */
public interface DeliveryCounters {

    /** A frame written to the socket; {@code priority} null for answers and notices. */
    void sent(String type, Priority priority);

    /** A frame the socket refused. */
    void sendFailed(String type);

    /** One alert's latency from its creation to its frame being written. */
    void latency(long millis);

    /** A frame of new alerts written {@code nanos} after the oldest of them was handed to the fan-out. */
    void fanoutWritten(long nanos);

    /** A frame of new alerts written {@code millis} after the oldest of them was created (wall clocks). */
    void createdWritten(long millis);

    /** Events dropped for a connection that does not keep up ({@code slow_consumer}). */
    void dropped(long events);

    /** Frames entering ({@code +}) or leaving ({@code -}) the outbound queue. */
    void queued(long delta);

    /** A batch of alerts left after the window (or full). */
    void batchSent(int alerts);
}
