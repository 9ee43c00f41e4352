package dev.tocsin.gateway.hub;

import dev.tocsin.gateway.delivery.ConnectionDelivery;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.event.AlertEvent;

/**
 * A connection as the hub sees it: the few things the fan-out asks of each connection for each event. The session
 * implements it; the hub knows nothing else of a connection.
 */
public interface Recipient {

    /** Index in its shard's member array; -1 while not a member. Read and written only on the shard's loop. */
    int shardSlot();

    void shardSlot(int slot);

    /**
     * Whether events may be delivered: greeted and not yet retired by {@code @OnClose}. A cheap flag: a socket that
     * closed a moment ago fails the write instead, which is counted; asking the socket costs a lock per connection
     * and event.
     */
    boolean isActivated();

    /** Whether the event is for this connection: its audience reaches it, and no {@code sync} covered it already. */
    boolean receives(AlertEvent event);

    /** Whether a new alert (whose audience reaches this connection) matches its subscribed groups and filters. */
    boolean wants(Alert alert);

    /** Where its frames go. */
    ConnectionDelivery delivery();

    /** For logs. */
    String connectionId();
}
