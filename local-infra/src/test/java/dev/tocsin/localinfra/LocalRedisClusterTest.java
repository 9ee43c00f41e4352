package dev.tocsin.localinfra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalRedisClusterTest {

    @Test
    void promotesTheReplicaOfTheMasterHoldingTocsinsKeysWithItsData(@TempDir Path dir) throws IOException {
        try (LocalRedisCluster cluster = LocalRedisCluster.start(dir)) {
            String seq = LocalRedisCluster.KEY_PREFIX + "seq";
            String history = LocalRedisCluster.KEY_PREFIX + "history";
            assertEquals(cluster.call(cluster.masterOf(seq), "CLUSTER", "KEYSLOT", seq),
                    cluster.call(cluster.masterOf(seq), "CLUSTER", "KEYSLOT", history), "one hash tag, one slot");

            int master = cluster.masterOf(seq);
            assertTrue(master > 0);
            IOException refused = assertThrows(IOException.class, () -> RespCall.call("127.0.0.1", master, "GET", seq));
            assertTrue(refused.getMessage().contains("NOAUTH"), refused.getMessage());
            assertEquals(7L, cluster.call(master, "INCRBY", seq, "7"));
            // WAIT: the write reached the replica before the crash, so the promoted replica must have it
            assertEquals(1L, cluster.call(master, "WAIT", "1", "2000"));

            int killed = cluster.killMasterOf(seq);
            assertEquals(master, killed);
            int promoted = cluster.awaitFailover(seq, killed, Duration.ofSeconds(30));
            assertNotEquals(killed, promoted);
            assertEquals("7", cluster.call(promoted, "GET", seq));
            assertEquals(8L, cluster.call(promoted, "INCR", seq), "the promoted replica takes writes");

            assertEquals("cluster", cluster.quarkusConfig().get("quarkus.redis.client-type"));
            assertEquals(6, cluster.hosts().split(",").length);
        }
    }

    @Test
    void migratesTocsinsSlotWithItsKeysToAnotherMaster(@TempDir Path dir) throws IOException {
        try (LocalRedisCluster cluster = LocalRedisCluster.start(dir)) {
            String seq = LocalRedisCluster.KEY_PREFIX + "seq";
            int before = cluster.masterOf(seq);
            for (int i = 0; i < 25; i++) {
                cluster.call(before, "SET", LocalRedisCluster.KEY_PREFIX + "k" + i, "v" + i);
            }
            cluster.call(before, "XADD", LocalRedisCluster.KEY_PREFIX + "history", "*", "event", "e1");

            int after = cluster.migrateSlotOf(seq, 10);
            assertNotEquals(before, after);
            assertEquals(after, cluster.masterOf(seq), "every node names the new owner");
            assertEquals("v24", cluster.call(after, "GET", LocalRedisCluster.KEY_PREFIX + "k24"));
            assertEquals(1L, cluster.call(after, "XLEN", LocalRedisCluster.KEY_PREFIX + "history"));
            IOException moved = assertThrows(IOException.class,
                    () -> cluster.call(before, "GET", LocalRedisCluster.KEY_PREFIX + "k1"));
            assertTrue(moved.getMessage().contains("MOVED"), moved.getMessage());
        }
    }
}
