package dev.tocsin.relay.dedup;

import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.dedup.DeliveryLedger.Claim;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The claim rules against the real Redis, with two ledgers standing for two relay replicas (each has its own owner
 * id, as each replica's bean does).
 */
@QuarkusTest
@RelayTest
class DeliveryLedgerTest extends RelayTestBase {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    ReactiveRedisDataSource reactiveRedis;

    @Inject
    RelayConfig config;

    @Test
    void aReplicaTakesUpItsOwnFailedClaimAtOnceButNeverAnotherReplicasOrOneInFlight() {
        DeliveryLedger replicaA = new DeliveryLedger(reactiveRedis, config);
        DeliveryLedger replicaB = new DeliveryLedger(reactiveRedis, config);
        String key = Relay.unique("tocsin:test:delivery:");

        assertEquals(Claim.OWNED, replicaA.claim(key).await().atMost(WAIT));
        // while A's attempt runs, neither A (a second run of the step) nor B may send it
        assertEquals(Claim.BUSY, replicaA.claim(key).await().atMost(WAIT));
        assertEquals(Claim.BUSY, replicaB.claim(key).await().atMost(WAIT));

        // A's attempt failed (say Redis failed over after the claim): A takes it up on its next run, without waiting
        // for the claim TTL; B still must not, because A's push may be in flight for all B can tell
        replicaA.release(key);
        assertEquals(Claim.BUSY, replicaB.claim(key).await().atMost(WAIT));
        assertEquals(Claim.OWNED, replicaA.claim(key).await().atMost(WAIT));
        assertEquals(Claim.BUSY, replicaA.claim(key).await().atMost(WAIT), "taken up once, not twice");

        replicaA.done(key, "sent").await().atMost(WAIT);
        assertEquals(Claim.DONE, replicaA.claim(key).await().atMost(WAIT));
        assertEquals(Claim.DONE, replicaB.claim(key).await().atMost(WAIT));
        assertTrue(redis.value(String.class).get(key).startsWith("done:sent"));
    }

    @Test
    void aReleasedKeyThatWasNeverStoredIsClaimedAfresh() {
        DeliveryLedger replica = new DeliveryLedger(reactiveRedis, config);
        String key = Relay.unique("tocsin:test:delivery:");
        // the claim's SET failed before reaching Redis: nothing is stored, the next claim simply owns the key
        replica.release(key);
        assertEquals(Claim.OWNED, replica.claim(key).await().atMost(WAIT));
    }
}
