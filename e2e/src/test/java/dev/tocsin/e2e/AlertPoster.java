package dev.tocsin.e2e;

import dev.tocsin.protocol.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * Posts numbered alerts one after another (every fifth critical, the rest medium), retrying through outages; an
 * alert counts once its POST got 201. The number is in the title ({@code Fault drill <n>}) and in
 * {@code metadata.testNumber}, so clients and pushes can be matched to it. Used by the fault tests. Optionally
 * ({@link #acknowledging}) it also acknowledges every n-th accepted alert over REST right after creating it, through
 * the same outages: the same request is sent again until it is answered (an ack is idempotent).
 */
final class AlertPoster implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<String> ingestUrl;
    private final Supplier<String> adminToken;
    /** The {@code audience} member of each alert, JSON; null: no audience (everyone). */
    private final String audience;
    private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    /** The id of each accepted alert, from its 201 body. */
    private final Map<Long, String> ids = new ConcurrentHashMap<>();
    /** Who acknowledged each alert this poster acknowledged (the ack was answered 200). */
    private final Map<Long, String> acknowledgedBy = new ConcurrentHashMap<>();
    /** Acks that were answered with something other than 200 or a server error: what went wrong, per alert. */
    private final Map<Long, String> ackFailures = new ConcurrentHashMap<>();
    private int ackEvery;
    private LongFunction<String> acker;
    private Function<String, String> ackerToken;
    private final AtomicLong next = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    AlertPoster(Supplier<String> ingestUrl, Supplier<String> adminToken, String audience) {
        this.ingestUrl = ingestUrl;
        this.adminToken = adminToken;
        this.audience = audience;
    }

    /**
     * Acknowledge every {@code every}-th accepted alert (numbers 0, every, 2·every, …) as {@code acker.apply(number)}
     * with the token {@code token.apply(user)} gives, before posting the next one. Call before {@link #start()}.
     */
    AlertPoster acknowledging(int every, LongFunction<String> acker, Function<String, String> token) {
        this.ackEvery = every;
        this.acker = acker;
        this.ackerToken = token;
        return this;
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

    /** The alert id of each accepted number. */
    Map<Long, String> ids() {
        return Map.copyOf(ids);
    }

    /** The acknowledging user of each alert whose ack was answered 200. */
    Map<Long, String> acknowledgedBy() {
        return Map.copyOf(acknowledgedBy);
    }

    /** Acks refused for good (not 200, not a server error), per alert number: the status and body. */
    Map<Long, String> ackFailures() {
        return Map.copyOf(ackFailures);
    }

    /** Stops posting and waits for the thread (an ack being retried is finished first; see {@link #acknowledge}). */
    void stop() throws InterruptedException {
        running.set(false);
        thread.join(100_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("the poster did not stop within 100 s");
        }
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
                    ids.put(number, Json.tree(response.body()).get("id").asText());
                    accepted.add(number);
                    if (ackEvery > 0 && number % ackEvery == 0) {
                        acknowledge(number);
                    }
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

    /**
     * Sends one ack request until it is answered, through outages (also after {@link #stop()}, so that no ack is left
     * in flight: one that reached ingest unanswered would be on the alert's timeline but unknown here).
     */
    private void acknowledge(long number) {
        String user = acker.apply(number);
        HttpRequest request = HttpRequest.newBuilder(URI.create(ingestUrl.get() + "/api/v1/alerts/" + ids.get(number)
                        + "/ack"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + ackerToken.apply(user))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    acknowledgedBy.put(number, user);
                    return;
                }
                if (response.statusCode() < 500) {
                    ackFailures.put(number, response.statusCode() + " " + response.body());
                    return;
                }
            } catch (IOException e) {
                // ingest is down: send the same request again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ackFailures.put(number, "interrupted");
                return;
            }
            pause(100);
        }
        ackFailures.put(number, "no answer within 90 s");
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
