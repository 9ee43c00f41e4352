package dev.tocsin.ingest.changestream;

import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the tailer that this process has just written to the {@code alerts} collection, so a tailer resting between
 * polls looks at the stream at once. A replica set's change stream waits server-side for the next change (up to
 * {@code max-await}) and needs no such hint; a server that answers an empty poll at once (the embedded server of
 * local runs and tests) would otherwise add up to the tailer's idle pause to every alert. Writes made by other
 * replicas are still found by the next poll. Fed by {@link AlertWriteListener}.
 */
@Singleton
public class AlertWriteSignal {

    private static final Runnable NOBODY = () -> { };

    private volatile Runnable listener = NOBODY;
    private final AtomicLong writes = new AtomicLong();

    /** The one party to tell (the tailer); replaces an earlier one. */
    void onWrite(Runnable listener) {
        this.listener = listener == null ? NOBODY : listener;
    }

    /** A write to {@code alerts} was acknowledged. Called on the driver's thread: must stay cheap. */
    void written() {
        writes.incrementAndGet();
        listener.run();
    }

    /** How many acknowledged writes to {@code alerts} this process has signalled. */
    public long writes() {
        return writes.get();
    }
}
