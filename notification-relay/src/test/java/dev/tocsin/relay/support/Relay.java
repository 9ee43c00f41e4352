package dev.tocsin.relay.support;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import io.restassured.RestAssured;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/** What the tests observe from outside: the Prometheus scrape, readiness, and events as alert-ingest publishes them. */
public final class Relay {

    public static final String CHANNEL = RedisKeys.defaults().eventsChannel();
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private static final AtomicLong SEQ = new AtomicLong();
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Relay() {
    }

    /**
     * Value of the sample {@code name} whose labels include {@code labels}, from a fresh scrape of /q/metrics;
     * null when there is no such sample. Tolerates both Prometheus text formats ({@code {op="x",}} and
     * {@code {op="x"}}).
     */
    public static Double sample(String name, Map<String, String> labels) {
        String scrape = RestAssured.given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .extract().asString();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
            while (l.find()) {
                found.put(l.group(1), l.group(2));
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                return Double.parseDouble(m.group(3));
            }
        }
        return null;
    }

    /** Like {@link #sample} but 0 when absent, for counters. */
    public static double metric(String name, Map<String, String> labels) {
        Double value = sample(name, labels);
        return value == null ? 0 : value;
    }

    public static double received(ChangeOp op) {
        return metric("tocsin_relay_events_received_total", Map.of("op", op.name().toLowerCase(Locale.ROOT)));
    }

    public static double decodeFailures() {
        return metric("tocsin_relay_event_decode_failures_total", Map.of());
    }

    public static int readinessStatus() {
        return RestAssured.get("/q/health/ready").statusCode();
    }

    /** Waits until the relay reports ready (Redis reachable and the events subscription live). */
    public static void awaitReady() {
        await().atMost(DEADLINE).until(() -> readinessStatus() == 200);
    }

    /** An event in the shape alert-ingest publishes (epoch and seq set, alert for created/updated). */
    public static String eventJson(ChangeOp op) {
        String alertId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Alert alert = op == ChangeOp.DELETED ? null
                : new Alert(alertId, Priority.HIGH, "flood", "River level rising", "Move to higher ground",
                        "relay-test", null, 0.8, 0.9, 1200L, true, null, null, now, now, Audience.EVERYONE,
                        Map.of("gauge", "R-17"), null, null, null, null, null, null, null);
        return Json.encode(new AlertEvent("test-epoch", SEQ.incrementAndGet(), op, alertId, alert,
                "change-" + alertId, now));
    }
}
