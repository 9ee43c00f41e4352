package dev.tocsin.e2e;

import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No alert lost, none duplicated, none out of order, while the parts fail: alerts are posted continuously while
 * the gateway is killed and restarted, alert-ingest is killed and restarted, Redis is restarted, and a client
 * goes away for a while and comes back with {@code sync}. Every client must end with every alert whose POST was
 * answered 201, exactly once, in sequence order.
 */
class FaultToleranceE2ETest {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    private static LocalStack stack;
    private static ServiceProcess ingest;
    private static ServiceProcess gateway;

    @BeforeAll
    static void startTocsin() {
        stack = Tocsin.infrastructure("faults");
        ingest = stack.startService(LocalStack.INGEST, FreePort.find(), Map.of());
        gateway = stack.startService(LocalStack.GATEWAY, FreePort.find(), Map.of());
    }

    @AfterAll
    static void stopTocsin() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyClientGetsEveryAlertExactlyOnceInOrderThroughFaults() throws Exception {
        String wsUrl = "ws://127.0.0.1:" + gateway.port() + "/ws/alerts";
        try (ResilientClient steady = new ResilientClient("steady", () -> wsUrl, ingest::baseUrl,
                () -> stack.jwt().token("alice", "viewer")).start();
             ResilientClient traveller = new ResilientClient("traveller", () -> wsUrl, ingest::baseUrl,
                     () -> stack.jwt().token("bob", "viewer")).start();
             AlertPoster poster = new AlertPoster(ingest::baseUrl, () -> stack.jwt().token("admin", "admin"), null)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> steady.isConnected() && traveller.isConnected());
            poster.start();

            poster.awaitAccepted(20);
            System.out.println("fault: gateway killed");
            gateway.kill();
            poster.awaitAccepted(10);
            gateway.start().awaitReady(Duration.ofSeconds(60));
            poster.awaitAccepted(20);

            System.out.println("fault: alert-ingest killed");
            ingest.kill();
            ingest.start().awaitReady(Duration.ofSeconds(60));
            poster.awaitAccepted(20);

            System.out.println("fault: Redis restarted");
            stack.redis().stop();
            stack.redis().start();
            poster.awaitAccepted(20);

            System.out.println("fault: a client away for a while");
            traveller.pause();
            poster.awaitAccepted(20);
            traveller.resume();
            poster.awaitAccepted(20);

            poster.stop();
            DeliveryCounts.requireExactlyOnceInOrder(poster.accepted(), SETTLE, List.of(steady, traveller));
            assertTrue(steady.connects() >= 2, "the gateway kill must have forced a reconnect");
        }
    }
}
