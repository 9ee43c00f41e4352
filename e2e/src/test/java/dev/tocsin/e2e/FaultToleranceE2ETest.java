package dev.tocsin.e2e;

import dev.tocsin.localinfra.FreePort;
import dev.tocsin.localinfra.LocalStack;
import dev.tocsin.localinfra.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
             Poster poster = new Poster()) {
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
            Set<Long> accepted = poster.accepted();
            for (ResilientClient client : List.of(steady, traveller)) {
                try {
                    await().atMost(SETTLE).until(() -> accepted.stream().allMatch(client::hasNumber));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // say exactly what is missing, so a failure here can be traced in the services' logs
                    System.out.printf("%s: still missing %s of %d accepted; connects=%d restReloads=%d seqs=%s%n",
                            client.name(), accepted.stream().filter(n -> !client.hasNumber(n)).sorted().toList(),
                            accepted.size(), client.connects(), client.reloads(), client.seqsByPriority());
                }
            }
            for (ResilientClient client : List.of(steady, traveller)) {
                long missing = accepted.stream().filter(n -> !client.hasNumber(n)).count();
                long duplicates = client.byAlertId().values().stream().filter(c -> c.get() > 1).count();
                long outOfOrder = 0;
                for (List<Long> seqs : client.seqsByPriority().values()) {
                    for (int i = 1; i < seqs.size(); i++) {
                        if (seqs.get(i) <= seqs.get(i - 1)) {
                            outOfOrder++;
                        }
                    }
                }
                System.out.printf("%s: posted=%d delivered=%d duplicates=%d missing=%d outOfOrder=%d connects=%d"
                                + " restReloads=%d%n", client.name(), accepted.size(), client.byAlertId().size(),
                        duplicates, missing, outOfOrder, client.connects(), client.reloads());
                assertEquals(0, missing, client.name() + " missing");
                assertEquals(0, duplicates, client.name() + " duplicates");
                assertEquals(0, outOfOrder, client.name() + " out of order");
            }
            assertTrue(steady.connects() >= 2, "the gateway kill must have forced a reconnect");
        }
    }

    /** Posts alerts one after another, retrying through outages; an alert counts once its POST got 201. */
    private static final class Poster implements AutoCloseable {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
        private final AtomicLong next = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        void start() {
            thread = new Thread(this::run, "poster");
            thread.start();
        }

        /** Waits until {@code count} more alerts were accepted. */
        void awaitAccepted(int count) {
            int target = accepted.size() + count;
            await().atMost(Duration.ofSeconds(90)).until(() -> accepted.size() >= target);
        }

        Set<Long> accepted() {
            return Set.copyOf(accepted);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }

        private void run() {
            long number = next.getAndIncrement();
            while (running.get()) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                    URI.create(ingest.baseUrl() + "/api/v1/alerts"))
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", "Bearer " + stack.jwt().token("admin", "admin"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("""
                                    {"priority":"%s","type":"system_health","title":"Fault drill %d",
                                     "message":"m","source":"e2e","metadata":{"testNumber":%d}}"""
                                    .formatted(number % 5 == 0 ? "critical" : "medium", number, number)))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 201) {
                        accepted.add(number);
                        number = next.getAndIncrement();
                    }
                } catch (IOException e) {
                    // ingest is down: try the same number again (a stored-but-unanswered one is a separate alert)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause(40);
            }
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis); // the posting rate, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (thread != null) {
                stop();
            }
        }
    }
}
