package dev.tocsin.ingest.changestream;

import java.time.Duration;

/**
 * What the tailer's steps need from the thread that runs them: whether to go on, and its two kinds of wait.
 * The tailer's {@link dev.tocsin.ingest.common.worker.WorkerThread} behind it; plain tests pass their own.
 */
interface TailerLoop {

    /** False once the tailer is stopping. */
    boolean running();

    /** Waits, waking at once when the tailer stops. */
    void pause(Duration delay);

    /** Waits even while the tailer stops (the last quick attempts to store a published change's position). */
    void sleep(Duration delay);
}
