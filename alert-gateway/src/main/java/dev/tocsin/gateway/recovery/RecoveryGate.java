package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.pipeline.EventPipeline;
import dev.tocsin.gateway.pipeline.Position;
import dev.tocsin.gateway.session.Session;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One connection's recovery work (offline inbox at connect, {@code sync} requests), run one task after the other.
 * While any task is queued or running, the connection's live frames are held; when the last one ends they are
 * released, minus those a {@code sync} already replayed (at or below the session's floor).
 *
 * <p>The hold starts under the pipeline's lock, as a task on the connection's shard, so the position recorded with it
 * ({@link #holdFrom()}) splits the events exactly: up to it they are handed to the connection, after it they are
 * held. The release is such a task too, behind the replayed frames. The gate's own state is guarded by that lock (it
 * changes only at task boundaries, so this costs nothing on the event path).
 */
public final class RecoveryGate {

    private final Session session;
    private final EventPipeline pipeline;
    /** Created on the first task, dropped when the last one ended: an idle connection holds none. */
    private ArrayDeque<Supplier<Uni<Void>>> tasks;
    private boolean running;
    private int syncs;
    private volatile Position holdFrom;

    RecoveryGate(Session session, EventPipeline pipeline) {
        this.session = session;
        this.pipeline = pipeline;
    }

    /** Starts holding live frames at {@code position}; call inside {@link EventPipeline#atomically}. */
    void beginHoldAt(Position position) {
        holdFrom = position;
        session.onLoop(() -> session.delivery().hold());
    }

    /** The pipeline position at which live frames began to be held; null while not holding. */
    public Position holdFrom() {
        return holdFrom;
    }

    /** Queues a task; live frames are held from now until the queue is empty. */
    public void submit(Supplier<Uni<Void>> task) {
        submit(task, false);
    }

    /**
     * Queues a {@code sync}; false (nothing queued) when one is queued or running already.
     */
    public boolean submitSync(Supplier<Uni<Void>> task) {
        return submit(task, true);
    }

    private boolean submit(Supplier<Uni<Void>> task, boolean sync) {
        Boolean start = pipeline.atomically(position -> {
            if (sync && syncs > 0) {
                return null;
            }
            if (sync) {
                syncs++;
            }
            if (tasks == null) {
                tasks = new ArrayDeque<>(2);
            }
            tasks.add(sync ? () -> task.get().eventually(this::syncDone) : task);
            if (running) {
                return false;
            }
            running = true;
            if (holdFrom == null) {
                beginHoldAt(position);
            }
            return true;
        });
        if (start == null) {
            return false;
        }
        if (start) {
            next();
        }
        return true;
    }

    private void syncDone() {
        pipeline.atomically(position -> syncs--);
    }

    private void next() {
        Supplier<Uni<Void>> task = pipeline.atomically(position -> {
            Supplier<Uni<Void>> queued = tasks == null ? null : tasks.poll();
            if (queued == null) {
                tasks = null;
                running = false;
                holdFrom = null;
                // On the loop, behind the replayed frames; the floor is read there, after the last task set it.
                session.onLoop(() -> {
                    boolean sameEpoch = Objects.equals(session.floorEpoch(), position.epoch());
                    long floor = session.floorSeq();
                    session.delivery().release(seq -> !sameEpoch || seq > floor);
                });
            }
            return queued;
        });
        if (task == null) {
            return;
        }
        Uni<Void> work;
        try {
            work = task.get();
        } catch (RuntimeException e) {
            work = Uni.createFrom().failure(e);
        }
        work.onFailure().invoke(failure -> Log.warnf("Recovery work for connection %s failed: %s",
                        session.connectionId(), failure.toString()))
                .onFailure().recoverWithNull()
                .subscribe().with(ignored -> next(), ignored -> next());
    }
}
