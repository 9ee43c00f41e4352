package dev.tocsin.gateway.presence;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One connection's entry in its user's presence set ({@code <instance id>/<connection id>}), and where it stands: its
 * ZADD may still be under way when the connection closes, and then the entry must go once the ZADD ended, so that a
 * quick open-close never leaves one behind. A state, not the Redis call's {@code Uni}, which would keep its whole
 * chain alive per connection.
 */
public final class PresenceEntry {

    private static final AtomicIntegerFieldUpdater<PresenceEntry> STATE =
            AtomicIntegerFieldUpdater.newUpdater(PresenceEntry.class, "state");
    private static final int ADDING = 0;
    private static final int ADDED = 1;
    private static final int CLOSED_WHILE_ADDING = 2;
    private static final int REMOVED = 3;

    private final String user;
    /** This replica's instance id (shared); the member is built from it when needed, not kept per connection. */
    private final String instanceId;
    private final String connectionId;
    private volatile int state;

    public PresenceEntry(String user, String instanceId, String connectionId) {
        this.user = user;
        this.instanceId = instanceId;
        this.connectionId = connectionId;
    }

    public String user() {
        return user;
    }

    /** The member in the user's presence set: {@code <instance id>/<connection id>}. */
    public String member() {
        return instanceId + "/" + connectionId;
    }

    public String connectionId() {
        return connectionId;
    }

    /**
     * The entry's ZADD finished (or failed): true when the entry should stay, false when the connection closed
     * meanwhile and the entry must be removed now.
     */
    boolean addFinished() {
        return STATE.compareAndSet(this, ADDING, ADDED);
    }

    /**
     * The connection closed: true when the entry must be removed now, false when its ZADD is still under way (then
     * {@link #addFinished} says so when it ends).
     */
    boolean closed() {
        if (STATE.compareAndSet(this, ADDING, CLOSED_WHILE_ADDING)) {
            return false;
        }
        return STATE.compareAndSet(this, ADDED, REMOVED);
    }
}
