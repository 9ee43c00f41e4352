package dev.tocsin.ingest.leader;

import dev.tocsin.ingest.common.worker.WorkerThread;
import io.quarkus.logging.Log;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs {@code onAcquired} while this replica holds the leader lock and {@code onLost} when it stops holding it,
 * on one thread of its own: try to take the lock every third of its lifetime; once held, renew it at that pace.
 * The lock counts as lost when a renewal finds another token, or when no renewal succeeded for two thirds of the
 * lifetime (Redis unreachable: the lock may expire and another replica take it, so this one steps down first).
 *
 * <p>{@code onAcquired} receives the lock token (the publish script checks it, so a replica that was paused past
 * the lock's lifetime cannot publish next to the new leader). {@code onLost} must return only when the guarded
 * work has stopped. {@link #stop()} stops the work, then releases the lock, so the next replica takes over at once.
 */
public final class LeaderElection {

    /** What this replica is, as readiness reports it. */
    public enum Role {
        /** Holds the lock and runs the tailer. */
        LEADER,
        /** Another replica holds the lock; this one waits to take over. */
        STANDBY,
        /** Has not (yet) learned who leads: starting, or Redis unreachable. */
        CANDIDATE
    }

    private final LeaderLock lock;
    private final Consumer<String> onAcquired;
    private final Runnable onLost;
    private final WorkerThread loop;

    private volatile Role role = Role.CANDIDATE;
    private volatile String token;

    public LeaderElection(LeaderLock lock, Consumer<String> onAcquired, Runnable onLost, String name) {
        this.lock = lock;
        this.onAcquired = onAcquired;
        this.onLost = onLost;
        this.loop = new WorkerThread("tocsin-ingest-leader-" + name);
    }

    public synchronized void start() {
        loop.start(this::run);
    }

    /** Stops the guarded work (if this replica leads), then releases the lock. */
    public synchronized void stop() {
        if (!loop.stop(lock.ttl().plusSeconds(1), Duration.ZERO)) {
            return;
        }
        String held = token;
        if (role == Role.LEADER && held != null) {
            onLost.run();
            try {
                if (lock.release(held)) {
                    Log.infof("released the ingest leader lock %s", lock.key());
                }
            } catch (RuntimeException e) {
                Log.warnf("releasing the ingest leader lock failed (%s); it expires within %s",
                        e.getClass().getSimpleName(), lock.ttl());
            }
        }
        token = null;
        role = Role.CANDIDATE;
    }

    public Role role() {
        return role;
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    private void run() {
        long interval = Math.max(10, lock.ttl().toMillis() / 3);
        long lastRenewed = 0;
        while (loop.running()) {
            if (role != Role.LEADER) {
                String candidate = UUID.randomUUID().toString();
                try {
                    if (lock.tryAcquire(candidate)) {
                        lastRenewed = System.nanoTime();
                        token = candidate;
                        role = Role.LEADER;
                        Log.infof("took the ingest leader lock %s: this replica publishes", lock.key());
                        onAcquired.accept(candidate);
                    } else {
                        if (role != Role.STANDBY) {
                            Log.infof("ingest leader lock %s is held by another replica: standing by", lock.key());
                        }
                        role = Role.STANDBY;
                    }
                } catch (RuntimeException e) {
                    role = Role.CANDIDATE;
                    Log.warnf("cannot reach Redis for the leader lock (%s)", e.getClass().getSimpleName());
                }
            } else {
                boolean lost;
                try {
                    lost = !lock.renew(token);
                    if (!lost) {
                        lastRenewed = System.nanoTime();
                    } else {
                        Log.warnf("the ingest leader lock %s was taken over or expired: stepping down", lock.key());
                    }
                } catch (RuntimeException e) {
                    long sinceRenewal = (System.nanoTime() - lastRenewed) / 1_000_000;
                    lost = sinceRenewal >= lock.ttl().toMillis() - interval;
                    Log.warnf("renewing the ingest leader lock failed (%s)%s", e.getClass().getSimpleName(),
                            lost ? "; it may expire now: stepping down" : "");
                }
                if (lost && loop.running()) {
                    stepDown();
                    continue; // try to take it again at once (Redis may have come back empty)
                }
            }
            await(Duration.ofMillis(interval));
        }
    }

    private void stepDown() {
        onLost.run();
        token = null;
        role = Role.CANDIDATE;
    }

    private void await(Duration delay) {
        loop.pause(delay);
    }
}
