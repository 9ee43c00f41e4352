package dev.tocsin.e2e;

import dev.tocsin.localinfra.LocalRedisCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/**
 * Redis Cluster losing the master that holds Tocsin's slot (the services run in cluster mode with the prefix
 * {@code {tocsin}:}, so all of Tocsin's keys live in one slot of one master): it is SIGKILLed mid-stream and its
 * replica promoted. Every live client gets every alert exactly once and in order, the offline user one push per
 * alert, and every service is ready again ({@link RedisFaultDrill}).
 */
@Tag("redis-ha")
class ClusterFailoverE2ETest {

    static final String TOCSIN_SLOT_KEY = LocalRedisCluster.KEY_PREFIX + "seq";
    private static final String BOT_TOKEN = "123456:e2e-not-a-real-token";

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("cluster-failover").withCluster()
            .withTelegramRelays(1, BOT_TOKEN, RedisFaultDrill.RELAY_CONFIG);

    @Test
    void theMasterOfTocsinsSlotKilledMidStreamCostsNoAlertAndNoDuplicate() throws Exception {
        LocalRedisCluster cluster = tocsin.stack().cluster();
        new RedisFaultDrill(tocsin, "3201").run(() -> {
            int killed = cluster.killMasterOf(TOCSIN_SLOT_KEY);
            System.out.println("fault: cluster master on port " + killed + " (Tocsin's slot) SIGKILLed");
            int promoted = cluster.awaitFailover(TOCSIN_SLOT_KEY, killed, Duration.ofSeconds(60));
            System.out.println("fault: the cluster promoted its replica on port " + promoted);
        });
    }
}
