package dev.tocsin.e2e;

import dev.tocsin.e2e.harness.CuttableProxy;
import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * A network partition of one gateway from Redis: two gateways, the second reaching Redis through a proxy whose
 * connections the test cuts for a while, as a broken network path would. Alerts are posted all along. The cut
 * gateway's readiness goes down (so a load balancer stops sending it new clients) while its clients stay connected;
 * when the network heals it subscribes again and reads what it missed from history. Both gateways' clients must end
 * with every accepted alert exactly once, in order within each priority.
 */
class GatewayPartitionE2ETest {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalStack stack;
    private static CuttableProxy network;
    private static ServiceProcess ingest;
    private static ServiceProcess direct;
    private static ServiceProcess partitioned;

    @BeforeAll
    static void startTocsin() throws Exception {
        stack = Tocsin.infrastructure("partition");
        network = new CuttableProxy("redis-of-gateway-b", stack.redis().port());
        ingest = stack.startService(LocalStack.INGEST, FreePort.find(), Map.of());
        direct = stack.startService(LocalStack.GATEWAY, FreePort.find(), Map.of());
        partitioned = stack.startService(LocalStack.GATEWAY, FreePort.find(),
                Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + network.port()));
    }

    @AfterAll
    static void stopTocsin() {
        if (stack != null) {
            stack.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void aGatewayCutOffFromRedisCatchesUpWhenTheNetworkHeals() throws Exception {
        try (ResilientClient alice = client("alice", direct);
             ResilientClient bob = client("bob", partitioned);
             AlertPoster poster = new AlertPoster(ingest::baseUrl, () -> stack.jwt().token("admin", "admin"),
                     "{\"users\":[\"alice\",\"bob\"]}")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> alice.isConnected() && bob.isConnected());
            poster.start();
            poster.awaitAccepted(15);

            network.cut();
            long cutAt = System.nanoTime();
            System.out.println("fault: gateway " + partitioned.port() + " cut off from Redis");
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness(partitioned) == 503);
            poster.awaitAccepted(25);
            System.out.printf("fault: network restored after %d ms, %d alerts accepted so far%n",
                    (System.nanoTime() - cutAt) / 1_000_000, poster.accepted().size());
            network.restore();

            partitioned.awaitReady(Duration.ofSeconds(60));
            poster.awaitAccepted(10);
            poster.stop();
            Set<Long> accepted = poster.accepted();
            DeliveryCounts.requireExactlyOnceInOrder(accepted, SETTLE, List.of(alice, bob));
        }
    }

    private static ResilientClient client(String user, ServiceProcess gateway) {
        return new ResilientClient(user, () -> "ws://127.0.0.1:" + gateway.port() + "/ws/alerts", ingest::baseUrl,
                () -> stack.jwt().token(user, "viewer")).start();
    }

    private static int readiness(ServiceProcess service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
