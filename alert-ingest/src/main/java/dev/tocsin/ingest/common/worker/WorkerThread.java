package dev.tocsin.ingest.common.worker;

import io.quarkus.logging.Log;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One service loop on a daemon thread of its own (the change-stream tailer, the command consumer, the leader
 * election): start it, tell it to stop with a signal that wakes any {@link #pause} at once, and wait a bounded time
 * for it to end. The loop checks {@link #running()} between steps and waits only through {@link #pause}, so a stop
 * is never held up by a sleep. A loop that waits for work it can be told about ({@link #pauseUntilWoken}) is woken
 * early by {@link #wake}.
 */
public final class WorkerThread {

    private final String name;
    private volatile boolean running;
    private volatile Thread thread;
    /** What every pause waits on; {@link #stop} and {@link #wake} notify it. Guards {@link #woken}. */
    private final Object signal = new Object();
    private boolean woken;

    public WorkerThread(String name) {
        this.name = name;
    }

    /** Runs {@code loop} on a new daemon thread; false (nothing started) when it runs already. */
    public synchronized boolean start(Runnable loop) {
        if (running) {
            return false;
        }
        running = true;
        Thread worker = new Thread(loop, name);
        worker.setDaemon(true);
        thread = worker;
        worker.start();
        return true;
    }

    /**
     * Tells the loop to stop and waits up to {@code timeout} for its thread to end. A thread still alive then is
     * interrupted and given {@code afterInterrupt} more, unless that is zero. False when it was not running.
     */
    public synchronized boolean stop(Duration timeout, Duration afterInterrupt) {
        if (!running) {
            return false;
        }
        running = false;
        synchronized (signal) {
            signal.notifyAll();
        }
        Thread worker = thread;
        if (worker != null) {
            try {
                worker.join(timeout.toMillis());
                if (worker.isAlive() && !afterInterrupt.isZero()) {
                    Log.warnf("%s did not stop in time; interrupting it", name);
                    worker.interrupt();
                    worker.join(afterInterrupt.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
        return true;
    }

    /** Whether the loop should go on. */
    public boolean running() {
        return running;
    }

    /** Waits {@code delay}, waking at once when stopped; an interrupt counts as a stop. */
    public void pause(Duration delay) {
        await(delay, false);
    }

    /**
     * Waits {@code delay} like {@link #pause}, and also ends at once when {@link #wake} was called since the last
     * such pause ended: a wake that comes just before the pause is not lost.
     */
    public void pauseUntilWoken(Duration delay) {
        await(delay, true);
    }

    /** Ends the loop's current or next {@link #pauseUntilWoken}. Cheap; callable from any thread. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Waits until {@code delay} passed, the loop stops or (when {@code wakeable}) a wake came. */
    private void await(Duration delay, boolean wakeable) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (signal) {
            try {
                while (running && !(wakeable && woken)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                if (wakeable) {
                    woken = false;
                }
            }
        }
    }
}
