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

class LocalRedisSentinelTest {

    @Test
    void promotesTheReplicaWithItsDataWhenTheMasterIsKilled(@TempDir Path dir) throws IOException {
        try (LocalRedisSentinel redis = LocalRedisSentinel.start(dir)) {
            int master = redis.masterPort();
            assertTrue(master > 0, "the sentinels agree on a master");
            assertEquals("master", RespCall.infoField(master, redis.password(), "replication", "role"));
            assertTrue(redis.replicaInSync());
            IOException refused = assertThrows(IOException.class, () -> RespCall.call(master, "SET", "k", "v"));
            assertTrue(refused.getMessage().contains("NOAUTH"), refused.getMessage());
            int sentinel = redis.sentinelPorts().get(0);
            assertThrows(IOException.class, () -> RespCall.call(sentinel, "PING"), "the sentinels require the password too");
            assertEquals("OK", redis.call(master, "SET", "k", "v"));
            // WAIT: the write reached the replica before the crash, so the promoted replica must have it
            assertEquals(1L, redis.call(master, "WAIT", "1", "2000"));

            int killed = redis.killMaster();
            assertEquals(master, killed);
            assertThrows(IOException.class, () -> redis.call(killed, "PING"));

            int promoted = redis.awaitFailover(killed, Duration.ofSeconds(30));
            assertNotEquals(killed, promoted);
            assertEquals("master", RespCall.infoField(promoted, redis.password(), "replication", "role"));
            assertEquals("v", redis.call(promoted, "GET", "k"));
            assertEquals("OK", redis.call(promoted, "SET", "k", "w"), "the promoted replica takes writes");

            assertEquals("sentinel", redis.quarkusConfig().get("quarkus.redis.client-type"));
            assertEquals(3, redis.sentinelHosts().split(",").length);
            assertEquals(redis.password(), redis.quarkusConfig().get("quarkus.redis.password"));
        }
    }
}
