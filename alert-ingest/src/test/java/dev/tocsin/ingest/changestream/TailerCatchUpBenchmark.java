package dev.tocsin.ingest.changestream;

import dev.tocsin.localinfra.EmbeddedMongo;
import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.protocol.event.AlertEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import com.mongodb.client.MongoClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Not a test: a measurement, run on demand, of how fast the tailer catches up a backlog (a failover, or a burst
 * larger than it keeps up with), storing its position after every change and once per batch. It times nothing it
 * asserts; it asserts only that every change was published once, in order. Figures: {@code docs/benchmarks.md}.
 * {@code ./mvnw -pl alert-ingest test -Dtest=TailerCatchUpBenchmark -Dtocsin.bench=true [-Dtocsin.bench.changes=3000]}
 */
@EnabledIfSystemProperty(named = "tocsin.bench", matches = "true")
class TailerCatchUpBenchmark {

    @Test
    void catchUpWithAPositionStoredPerChangeAndPerBatch() {
        int changes = Integer.getInteger("tocsin.bench.changes", 3000);
        for (int round = 0; round < 2; round++) { // the first round also warms the JIT
            for (String perBatch : List.of("1", "100")) {
                measure(changes, perBatch);
            }
        }
    }

    private static void measure(int changes, String checkpointMaxChanges) {
        EmbeddedMongo mongoServer = EmbeddedMongo.start();
        LocalRedis redisServer = LocalRedis.startOnFreePort();
        MongoClient mongo = LocalParts.mongo(mongoServer.connectionString());
        Vertx vertx = Vertx.vertx();
        Redis redis = LocalParts.redis(vertx, redisServer.uri());
        try {
            TailerFixture parts = new TailerFixture(mongo, redis,
                    Map.of("tocsin.ingest.change-stream.checkpoint-max-changes", checkpointMaxChanges));
            ChangeStreamTailer first = parts.newTailer();
            first.start();
            await().atMost(TailerFixture.DEADLINE).until(first::isOpen);
            parts.insert("before the backlog");
            parts.awaitHistory(1);
            first.stop();
            for (int i = 0; i < changes; i++) {
                parts.insert("backlog " + i);
            }

            ChangeStreamTailer second = parts.newTailer();
            long started = System.nanoTime();
            second.start();
            try {
                List<AlertEvent> history = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                        .until(parts::history, h -> h.size() >= changes + 1);
                long millis = (System.nanoTime() - started) / 1_000_000;
                for (int i = 1; i < history.size(); i++) {
                    assertEquals(history.get(i - 1).seq() + 1, history.get(i).seq());
                }
                System.out.printf("tailer catch-up, checkpoint-max-changes=%s: %d changes in %d ms = %.0f changes/s%n",
                        checkpointMaxChanges, changes, millis, changes * 1000.0 / Math.max(1, millis));
            } finally {
                second.stop();
            }
        } finally {
            mongo.close();
            redis.close();
            vertx.closeAndAwait();
            redisServer.stop();
            mongoServer.close();
        }
    }
}
