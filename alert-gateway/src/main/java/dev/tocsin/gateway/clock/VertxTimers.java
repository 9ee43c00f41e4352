package dev.tocsin.gateway.clock;

import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/** {@link Timers} on Vert.x: a task scheduled from an event loop runs on that loop. */
@Singleton
public class VertxTimers implements Timers {

    private final Vertx vertx;

    VertxTimers(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public long schedule(long delayMs, Runnable task) {
        return vertx.setTimer(Math.max(1, delayMs), id -> task.run());
    }

    @Override
    public void cancel(long id) {
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
