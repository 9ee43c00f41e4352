package dev.tocsin.gateway.hub;

import io.quarkus.logging.Log;
import io.vertx.core.impl.ContextInternal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The connections of one event loop, and that loop's ordered queue of delivery work. The fan-out hands each event to
 * every shard, and the shard walks its own connections on their own thread: all loops share the fan-out, writes need
 * no hand-over to another thread, and no lock is contended.
 *
 * <p>Everything that changes what a connection is sent (events, holds and their release, replays, answers) and the
 * shard's membership are items of this one queue, run in the order they were submitted. An item submitted under the
 * pipeline's lock therefore lands exactly between the events before and after the position that lock saw; that is
 * what keeps the greeting's position, {@code sync} and the offline inbox exact although the fan-out is asynchronous.
 *
 * <p>Consecutive events waiting in the queue (a burst) are handed over as one run of at most {@code maxRun}
 * events, so each connection gets them in one pass ({@link ShardFanout}). After each run the drain yields the loop to
 * other work (reads, timers) and continues in a new task.
 *
 * <p>The member list is touched only on the loop: no lock, no copy per event. Members are removed by swapping the last
 * one into the hole (each member knows its slot), so joins and leaves cost O(1).
 *
 * @param <R> what the members are (the session, outside the hub)
 */
public final class ConnectionShard<R extends Recipient> {

    private final ContextInternal context;
    private final int index;
    private final int maxRun;
    private final ShardFanout fanout;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private final List<FanoutEvent> run = new ArrayList<>();
    private Recipient[] members = new Recipient[16];
    private int size;

    ConnectionShard(ContextInternal context, int index, int maxRun, ShardFanout fanout) {
        this.context = context;
        this.index = index;
        this.maxRun = Math.max(1, maxRun);
        this.fanout = fanout;
    }

    /**
     * Runs {@code task} on this shard's event loop after everything submitted before it, never inline, even when
     * called on the loop itself (running it at once would overtake work already queued).
     */
    public void execute(Runnable task) {
        offer(task);
    }

    /** An event for this shard's connections, in pipeline order. */
    void publish(FanoutEvent event) {
        offer(event);
    }

    private void offer(Object item) {
        pending.incrementAndGet();
        queue.add(item);
        if (!scheduled.getAndSet(true)) {
            context.runOnContext(ignored -> drain());
        }
    }

    /** Runs queued items until the queue is empty or one run of events was delivered, then yields. */
    private void drain() {
        while (true) {
            Object item = queue.poll();
            if (item == null) {
                scheduled.set(false);
                // An item added between the poll and the reset found "scheduled" still set and scheduled nothing.
                if (queue.isEmpty() || scheduled.getAndSet(true)) {
                    return;
                }
                continue;
            }
            if (item instanceof FanoutEvent first) {
                run.add(first);
                while (run.size() < maxRun && queue.peek() instanceof FanoutEvent) {
                    run.add((FanoutEvent) queue.poll());
                }
                try {
                    fanout.deliverRun(members, size, run);
                } catch (RuntimeException e) {
                    Log.errorf(e, "Delivering events on event loop shard %d failed", index);
                } finally {
                    pending.addAndGet(-run.size());
                    run.clear();
                }
                if (!queue.isEmpty()) {
                    // Let the loop serve reads and timers between runs; "scheduled" stays set.
                    context.runOnContext(ignored -> drain());
                    return;
                }
                continue;
            }
            try {
                ((Runnable) item).run();
            } catch (RuntimeException e) {
                Log.errorf(e, "A delivery task on event loop shard %d failed", index);
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    /** Whether any work is queued or running (for the drain). */
    public boolean busy() {
        return pending.get() > 0;
    }

    /** Adds a member to the fan-out, in order with the events; see the class comment. */
    public void join(R member) {
        execute(() -> {
            if (member.shardSlot() >= 0) {
                return;
            }
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
            }
            member.shardSlot(size);
            members[size++] = member;
        });
    }

    /** Removes a member from the fan-out. */
    public void leave(R member) {
        execute(() -> {
            int slot = member.shardSlot();
            if (slot < 0 || slot >= size || members[slot] != member) {
                return;
            }
            Recipient last = members[--size];
            members[slot] = last;
            last.shardSlot(slot);
            members[size] = null;
            member.shardSlot(-1);
        });
    }

    /**
     * Runs {@code action} for each activated member, as one task on this shard's loop (in order with the events),
     * then {@code done}: one task per loop instead of one per connection.
     */
    public void forEachActivated(Consumer<? super R> action, Runnable done) {
        execute(() -> {
            for (int i = 0; i < size; i++) {
                @SuppressWarnings("unchecked") // only join() adds members, and it takes an R
                R member = (R) members[i];
                if (!member.isActivated()) {
                    continue;
                }
                try {
                    action.accept(member);
                } catch (RuntimeException e) {
                    Log.warnf("A task for connection %s failed: %s", member.connectionId(), e.toString());
                }
            }
            done.run();
        });
    }

    public int index() {
        return index;
    }
}
