package dev.tocsin.e2e;

import dev.tocsin.localinfra.LocalRedisCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis Cluster moving Tocsin's slot, with every key in it, to another master mid-stream, in batches of three keys so
 * that the services work against a half-moved slot ({@code ASK}, {@code TRYAGAIN}) for a while. Every live client gets
 * every alert exactly once and in order, the offline user one push per alert, and every service stays or becomes
 * ready ({@link RedisFaultDrill}).
 */
@Tag("redis-ha")
class ClusterSlotMigrationE2ETest {

    private static final String BOT_TOKEN = "123456:e2e-not-a-real-token";

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("cluster-migration").withCluster()
            .withTelegramRelays(1, BOT_TOKEN, RedisFaultDrill.RELAY_CONFIG);

    @Test
    void tocsinsSlotMigratedMidStreamCostsNoAlertAndNoDuplicate() throws Exception {
        LocalRedisCluster cluster = tocsin.stack().cluster();
        new RedisFaultDrill(tocsin, "3301").run(() -> {
            int from = cluster.masterOf(ClusterFailoverE2ETest.TOCSIN_SLOT_KEY);
            int to = cluster.migrateSlotOf(ClusterFailoverE2ETest.TOCSIN_SLOT_KEY, 3);
            System.out.println("fault: Tocsin's slot migrated from port " + from + " to port " + to);
        });
    }
}
