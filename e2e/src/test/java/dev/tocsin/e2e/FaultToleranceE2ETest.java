package dev.tocsin.e2e;

import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No alert lost, none duplicated, none out of order, while the parts fail: alerts are posted continuously while
 * the gateway is killed and restarted, alert-ingest is killed and restarted, Redis is restarted, and a client
 * goes away for a while and comes back with {@code sync}. Every client must end with every alert whose POST was
 * answered 201, exactly once, in sequence order. Every tenth alert is acknowledged over REST during it all (the same
 * request again until answered); afterwards every alert's timeline must hold exactly its creation and, for those,
 * its one acknowledgment by the right user (issue #19: the timeline survives every failure injected here).
 */
class FaultToleranceE2ETest {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    private static final int ACK_EVERY = 10;

    @RegisterExtension
    static final TocsinStack tocsin = TocsinStack.named("faults");

    @Test
    void everyClientGetsEveryAlertExactlyOnceInOrderThroughFaults() throws Exception {
        LocalStack stack = tocsin.stack();
        ServiceProcess ingest = tocsin.ingest();
        ServiceProcess gateway = tocsin.gateway();
        String wsUrl = tocsin.wsUrl();
        try (ResilientClient steady = new ResilientClient("steady", () -> wsUrl, ingest::baseUrl,
                () -> stack.jwt().token("alice", "viewer")).start();
             ResilientClient traveller = new ResilientClient("traveller", () -> wsUrl, ingest::baseUrl,
                     () -> stack.jwt().token("bob", "viewer")).start();
             AlertPoster poster = new AlertPoster(ingest::baseUrl, () -> stack.jwt().token("admin", "admin"), null)
                     .acknowledging(ACK_EVERY, number -> "acker" + (number / ACK_EVERY % 3),
                             user -> stack.jwt().token(user, "viewer"))) {
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

            assertEquals(Map.of(), poster.ackFailures(), "acks refused");
            assertEquals(poster.accepted().stream().filter(n -> n % ACK_EVERY == 0).collect(Collectors.toSet()),
                    poster.acknowledgedBy().keySet(), "every tenth alert was acknowledged");
            TimelineCounts.requireExact(tocsin, poster.ids(), "admin", poster.acknowledgedBy());
        }
    }
}
