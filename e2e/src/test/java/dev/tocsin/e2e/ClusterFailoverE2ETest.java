package dev.tocsin.e2e;

import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalRedisCluster;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Redis Cluster under faults, with the packaged services in cluster mode (prefix {@code {tocsin}:}, so all of
 * Tocsin's keys live in one slot of one master): the master holding that slot is SIGKILLed mid-stream and its replica
 * promoted; and, in a fresh cluster, the slot is migrated with all its keys to another master mid-stream. Either way
 * every live client gets every alert exactly once and in order, the offline user one push per alert, and every
 * service is ready again ({@link RedisFaultDrill}).
 */
@Tag("redis-ha")
class ClusterFailoverE2ETest {

    private static final String BOT_TOKEN = "123456:e2e-not-a-real-token";
    private static final String OFFLINE_CHAT = "3201";
    private static final String TOCSIN_SLOT_KEY = LocalRedisCluster.KEY_PREFIX + "seq";

    private FakeTelegram telegram;
    private LocalStack stack;
    private RedisFaultDrill drill;

    @BeforeEach
    void startTocsin() {
        telegram = new FakeTelegram(BOT_TOKEN);
        stack = Tocsin.infrastructureWithCluster("cluster-fault");
        ServiceProcess ingest = stack.startService(LocalStack.INGEST, FreePort.find(), Map.of());
        ServiceProcess gateway = stack.startService(LocalStack.GATEWAY, FreePort.find(), Map.of());
        ServiceProcess relay = stack.startService(LocalStack.RELAY, FreePort.find(), RedisFaultDrill.relayConfig(telegram));
        drill = new RedisFaultDrill(stack, ingest, gateway, List.of(ingest, gateway, relay), telegram, OFFLINE_CHAT);
    }

    @AfterEach
    void stopTocsin() {
        if (stack != null) {
            stack.close();
        }
        if (telegram != null) {
            telegram.close();
        }
    }

    @Test
    void theMasterOfTocsinsSlotKilledMidStreamCostsNoAlertAndNoDuplicate() throws Exception {
        LocalRedisCluster cluster = stack.cluster();
        drill.run(() -> {
            int killed = cluster.killMasterOf(TOCSIN_SLOT_KEY);
            System.out.println("fault: cluster master on port " + killed + " (Tocsin's slot) SIGKILLed");
            int promoted = cluster.awaitFailover(TOCSIN_SLOT_KEY, killed, Duration.ofSeconds(60));
            System.out.println("fault: the cluster promoted its replica on port " + promoted);
        });
    }

    @Test
    void tocsinsSlotMigratedMidStreamCostsNoAlertAndNoDuplicate() throws Exception {
        LocalRedisCluster cluster = stack.cluster();
        drill.run(() -> {
            int from = cluster.masterOf(TOCSIN_SLOT_KEY);
            // small batches, so that the services work against a half-moved slot (ASK, TRYAGAIN) for a while
            int to = cluster.migrateSlotOf(TOCSIN_SLOT_KEY, 3);
            System.out.println("fault: Tocsin's slot migrated from port " + from + " to port " + to);
        });
    }
}
