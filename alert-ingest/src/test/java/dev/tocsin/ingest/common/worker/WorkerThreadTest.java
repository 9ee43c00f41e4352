package dev.tocsin.ingest.common.worker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Rests that end early: on {@link WorkerThread#wake} (also one that came first) and on a stop. */
class WorkerThreadTest {

    private static final Duration LONG = Duration.ofMinutes(10);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final WorkerThread worker = new WorkerThread("worker-thread-test");

    @AfterEach
    void stop() {
        worker.stop(DEADLINE, Duration.ofSeconds(1));
    }

    @Test
    void aWakeEndsTheRestAndAWakeBeforeTheRestIsNotLost() {
        AtomicInteger rests = new AtomicInteger();
        CountDownLatch firstRestMayStart = new CountDownLatch(1);
        worker.start(() -> {
            awaitQuietly(firstRestMayStart);
            while (worker.running()) {
                worker.pauseUntilWoken(LONG);
                rests.incrementAndGet();
            }
        });

        worker.wake(); // before the loop rests: the first rest must end at once
        firstRestMayStart.countDown();
        await().atMost(DEADLINE).until(() -> rests.get() == 1);

        worker.wake();
        await().atMost(DEADLINE).until(() -> rests.get() == 2);
    }

    @Test
    void aStopEndsTheRest() {
        CountDownLatch resting = new CountDownLatch(1);
        CountDownLatch rested = new CountDownLatch(1);
        worker.start(() -> {
            resting.countDown();
            worker.pauseUntilWoken(LONG);
            rested.countDown();
        });
        awaitQuietly(resting);

        worker.stop(DEADLINE, Duration.ZERO);

        assertEquals(0, rested.getCount(), "the rest ended with the stop");
        assertFalse(worker.running());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
