package dev.tocsin.gateway.drain;

import jakarta.inject.Singleton;

import java.time.Instant;

/** Whether this replica is draining (shutting down): once set it stays set for the life of the process. */
@Singleton
public class DrainState {

    private volatile Instant since;

    public boolean draining() {
        return since != null;
    }

    public Instant since() {
        return since;
    }

    /** Returns true for the call that started the drain. */
    synchronized boolean start() {
        if (since != null) {
            return false;
        }
        since = Instant.now();
        return true;
    }
}
