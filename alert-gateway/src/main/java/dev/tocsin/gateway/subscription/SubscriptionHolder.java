package dev.tocsin.gateway.subscription;

import java.util.Set;

/** A connection as subscription requests see it: what it is subscribed to, and the groups it may subscribe to. */
public interface SubscriptionHolder {

    Subscription subscription();

    /** Replaces the whole subscription (immutable, so the fan-out on another thread always reads a consistent one). */
    void subscription(Subscription updated);

    /** Groups this connection may subscribe to: {@code everyone}, {@code direct} and the token's groups. */
    Set<String> availableGroups();
}
