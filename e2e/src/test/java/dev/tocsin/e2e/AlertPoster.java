package dev.tocsin.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * Posts numbered alerts one after another (every fifth critical, the rest medium), retrying through outages; an
 * alert counts once its POST got 201. The number is in the title ({@code Fault drill <n>}) and in
 * {@code metadata.testNumber}, so clients and pushes can be matched to it. Used by the fault tests.
 */
final class AlertPoster implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<String> ingestUrl;
    private final Supplier<String> adminToken;
    /** The {@code audience} member of each alert, JSON; null: no audience (everyone). */
    private final String audience;
    private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong next = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    AlertPoster(Supplier<String> ingestUrl, Supplier<String> adminToken, String audience) {
        this.ingestUrl = ingestUrl;
        this.adminToken = adminToken;
        this.audience = audience;
    }

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
                                URI.create(ingestUrl.get() + "/api/v1/alerts"))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + adminToken.get())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"priority":"%s","type":"system_health","title":"Fault drill %d",
                                 "message":"m","source":"e2e","metadata":{"testNumber":%d}%s}"""
                                .formatted(number % 5 == 0 ? "critical" : "medium", number, number,
                                        audience == null ? "" : ",\"audience\":" + audience)))
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
