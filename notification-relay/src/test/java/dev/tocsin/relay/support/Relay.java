package dev.tocsin.relay.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.user.ContactChannels;
import dev.tocsin.protocol.user.QuietHours;
import io.quarkus.redis.datasource.RedisDataSource;
import io.restassured.RestAssured;
import io.vertx.mutiny.redis.client.Response;
import org.bson.Document;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * What the tests do and observe from outside, through the data contracts only: alert events appended to the
 * relay stream as alert-ingest appends them, contact channels inserted into MongoDB, presence in Redis, commands
 * read back from the commands stream, requests seen by the fake push servers, the Prometheus scrape, readiness.
 */
public final class Relay {

    public static final RedisKeys KEYS = RedisKeys.defaults();
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private static final AtomicLong SEQ = new AtomicLong();
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final RedisDataSource redis;
    private final MongoClient mongo;
    private final String fakeUrl;

    public Relay(RedisDataSource redis, MongoClient mongo, String fakeUrl) {
        this.redis = redis;
        this.mongo = mongo;
        this.fakeUrl = fakeUrl;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- MongoDB: contact channels (alert-ingest writes them; the test plays ingest) ----

    public ContactChannels user(String userId, String chat, List<String> tokens, Priority min, QuietHours quiet,
                                Set<String> groups) {
        ContactChannels channels = new ContactChannels(userId, chat, tokens, min, quiet, groups, Instant.now());
        Document document = Document.parse(Json.encode(channels));
        document.put("_id", userId);
        document.put("updatedAt", java.util.Date.from(channels.updatedAt())); // as alert-ingest stores it
        mongo.getDatabase("tocsin").getCollection("user_channels").insertOne(document);
        return channels;
    }

    public ContactChannels user(String userId, String chat, List<String> tokens) {
        return user(userId, chat, tokens, null, null, Set.of());
    }

    // ---- Redis: presence (the gateway writes it) and the relay stream (alert-ingest writes it) ----

    public void online(String user) {
        redis.execute("ZADD", KEYS.presence(user), Long.toString(System.currentTimeMillis() + 60_000),
                "gateway-1/" + UUID.randomUUID());
    }

    public void offlineButStale(String user) {
        redis.execute("ZADD", KEYS.presence(user), Long.toString(System.currentTimeMillis() - 60_000),
                "gateway-1/" + UUID.randomUUID());
    }

    public static Alert alert(Priority priority, Audience audience, String escalationGroup) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        Instant now = Instant.now();
        return new Alert(id, priority, "flood", "River <b>level</b> & rising", "Move to higher ground. Now!",
                "relay-test", null, 0.8, 0.9, 1200L, true, null, null, now, now, audience, Map.of("gauge", "R-17"),
                AlertStatus.ACTIVE, null, null, null, null, AlertChange.CREATED, escalationGroup);
    }

    public static Alert acknowledged(Alert a, String by) {
        Instant now = Instant.now();
        return new Alert(a.id(), a.priority(), a.type(), a.title(), a.message(), a.source(), a.location(),
                a.riskScore(), a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(), a.expiresAt(),
                a.createdAt(), now, a.audience(), a.metadata(), AlertStatus.ACTIVE, by, now, null, null,
                AlertChange.ACKNOWLEDGED, a.escalationGroup());
    }

    /**
     * The alert after a change, as alert-ingest would publish it: with this version, priority, status,
     * acknowledger (null: not acknowledged), last change and resolution note.
     */
    public static Alert changed(Alert a, long version, Priority priority, AlertStatus status, String acknowledgedBy,
                                AlertChange change, String resolution) {
        Instant now = Instant.now();
        return new Alert(a.id(), priority, a.type(), a.title(), a.message(), a.source(), a.location(),
                a.riskScore(), a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(), a.expiresAt(),
                a.createdAt(), now, a.audience(), a.metadata(), status, acknowledgedBy,
                acknowledgedBy == null ? null : now, null, null, change, a.escalationGroup(), version,
                status == AlertStatus.RESOLVED ? "admin" : null, status == AlertStatus.RESOLVED ? now : null,
                resolution);
    }

    /** The alert as created, with version 1. */
    public static Alert versioned(Alert a) {
        return changed(a, 1, a.priority(), AlertStatus.ACTIVE, null, AlertChange.CREATED, null);
    }

    /** A user with a Telegram chat and an alert (version 1) for them alone that was pushed to the chat once. */
    public record Pushed(String user, String chat, Alert alert) {
    }

    /** Creates a Telegram user, an alert of this priority for them, and waits until its first push went out. */
    public Pushed pushedOverTelegram(Priority priority) {
        String user = unique("u");
        String chat = unique("chat");
        user(user, chat, List.of());
        Alert alert = versioned(alert(priority, Audience.of(List.of(user), List.of()), null));
        created(alert);
        await().atMost(DEADLINE).until(() -> telegramSent(chat) == 1);
        return new Pushed(user, chat, alert);
    }

    /** Replaces fields of a user's contact channels (alert-ingest does on PUT /users/{id}/channels). */
    public void updateUser(String userId, String field, Object value) {
        mongo.getDatabase("tocsin").getCollection("user_channels").updateOne(
                new Document("_id", userId), new Document("$set", new Document(field, value)));
    }

    /** The FCM requests (with their collapse fields) for the device token, oldest first. */
    public List<JsonNode> fcmMessages(String token) {
        return pushRequests().stream().filter(r -> r.path("kind").asText().equals("fcm")
                && r.path("token").asText().equals(token) && r.path("status").asInt() == 200).toList();
    }

    /** The texts of the successful Telegram messages to the chat, oldest first. */
    public List<String> telegramTexts(String chat) {
        return pushRequests().stream().filter(r -> r.path("kind").asText().equals("telegram")
                && r.path("chat").asText().equals(chat) && r.path("status").asInt() == 200)
                .map(r -> r.path("text").asText()).toList();
    }

    /** The names of the alert's steps still waiting in the relay's schedule. */
    public List<String> pendingStepNames(String alertId) {
        List<String> names = new ArrayList<>();
        for (Response member : redis.execute("ZRANGE", "tocsin:relay:due", "0", "-1")) {
            String m = member.toString();
            if (m.startsWith(alertId + "|")) {
                names.add(m.substring(m.lastIndexOf('|') + 1));
            }
        }
        return names;
    }

    public static String event(ChangeOp op, Alert alert) {
        return Json.encode(new AlertEvent("test-epoch", SEQ.incrementAndGet(), op, alert.id(), alert,
                "change-" + UUID.randomUUID(), Instant.now()));
    }

    /** XADD to the relay stream, fields as alert-ingest's publish script writes them. */
    public String append(String eventJson) {
        return redis.execute("XADD", KEYS.relayStream(), "*", "seq", Long.toString(SEQ.incrementAndGet()),
                "event", eventJson).toString();
    }

    /** Appends several events in one atomic step, so one consumer reads them together and in order. */
    public void appendTogether(String... eventJsons) {
        List<String> args = new ArrayList<>(List.of(
                "for i = 1, #ARGV do redis.call('XADD', KEYS[1], '*', 'seq', tostring(i), 'event', ARGV[i]) end "
                        + "return #ARGV",
                "1", KEYS.relayStream()));
        args.addAll(List.of(eventJsons));
        redis.execute("EVAL", args.toArray(String[]::new));
    }

    public String created(Alert alert) {
        return append(event(ChangeOp.CREATED, alert));
    }

    /** Steps of this alert still waiting in the relay's schedule. */
    public long pendingSteps(String alertId) {
        Response members = redis.execute("ZRANGE", "tocsin:relay:due", "0", "-1");
        long n = 0;
        for (Response member : members) {
            if (member.toString().startsWith(alertId + "|")) {
                n++;
            }
        }
        return n;
    }

    /** Entries of the relay stream read by the group and not acknowledged. */
    public long groupPending() {
        Response summary = redis.execute("XPENDING", KEYS.relayStream(), "relay");
        return summary.get(0).toLong();
    }

    // ---- the offline inbox (the gateway reads it) ----

    public static String inboxKey(String user) {
        return KEYS.prefix() + "inbox:" + user;
    }

    /** The user's inbox entries, oldest first. */
    public List<String> inbox(String user) {
        List<String> entries = new ArrayList<>();
        for (Response entry : redis.execute("LRANGE", inboxKey(user), "0", "-1")) {
            entries.add(entry.toString());
        }
        return entries;
    }

    /** The user's dropped-entries counter (0 when absent). */
    public long inboxDropped(String user) {
        Response value = redis.execute("GET", inboxKey(user) + ":dropped");
        return value == null ? 0 : value.toLong();
    }

    public long pttl(String key) {
        return redis.execute("PTTL", key).toLong();
    }

    // ---- the commands stream (alert-ingest reads it) ----

    public List<IngestCommand> commands() {
        List<IngestCommand> commands = new ArrayList<>();
        Response entries = redis.execute("XRANGE", KEYS.commands(), "-", "+");
        for (Response entry : entries) {
            Response fields = entry.get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                if ("command".equals(fields.get(i).toString())) {
                    commands.add(Json.decode(fields.get(i + 1).toString(), IngestCommand.class));
                }
            }
        }
        return commands;
    }

    public List<dev.tocsin.protocol.delivery.DeliveryRecord> records(String alertId) {
        return commands().stream()
                .filter(c -> c instanceof IngestCommand.RecordDelivery)
                .map(c -> ((IngestCommand.RecordDelivery) c).record())
                .filter(r -> r.alertId().equals(alertId))
                .toList();
    }

    public List<Map<String, String>> deadLetters() {
        List<Map<String, String>> letters = new ArrayList<>();
        Response entries = redis.execute("XRANGE", KEYS.relayDeadLetters(), "-", "+");
        for (Response entry : entries) {
            Map<String, String> fields = new HashMap<>();
            Response raw = entry.get(1);
            for (int i = 0; i + 1 < raw.size(); i += 2) {
                fields.put(raw.get(i).toString(), raw.get(i + 1).toString());
            }
            letters.add(fields);
        }
        return letters;
    }

    // ---- the fake push servers ----

    public List<JsonNode> pushRequests() {
        String body = RestAssured.given().get(fakeUrl + "/_requests").then().statusCode(200).extract().asString();
        List<JsonNode> list = new ArrayList<>();
        Json.tree(body).forEach(list::add);
        return list;
    }

    /** Successful Telegram messages to the chat. */
    public long telegramSent(String chat) {
        return pushRequests().stream().filter(r -> r.path("kind").asText().equals("telegram")
                && r.path("chat").asText().equals(chat) && r.path("status").asInt() == 200).count();
    }

    public long telegramRequests(String chat) {
        return pushRequests().stream().filter(r -> r.path("kind").asText().equals("telegram")
                && r.path("chat").asText().equals(chat)).count();
    }

    /** Successful FCM messages to the device token. */
    public long fcmSent(String token) {
        return pushRequests().stream().filter(r -> r.path("kind").asText().equals("fcm")
                && r.path("token").asText().equals(token) && r.path("status").asInt() == 200).count();
    }

    public long fcmRequests(String token) {
        return pushRequests().stream().filter(r -> r.path("kind").asText().equals("fcm")
                && r.path("token").asText().equals(token)).count();
    }

    // ---- /q/metrics and /q/health ----

    /**
     * Value of the sample {@code name} whose labels include {@code labels}, from a fresh scrape of /q/metrics;
     * null when there is no such sample.
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

    /** The whole Prometheus scrape. */
    public static String sampleText() {
        return RestAssured.given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    public static double metric(String name, Map<String, String> labels) {
        Double value = sample(name, labels);
        return value == null ? 0 : value;
    }

    public static int readinessStatus() {
        return RestAssured.get("/q/health/ready").statusCode();
    }

    public static void awaitReady() {
        await().atMost(DEADLINE).until(() -> readinessStatus() == 200);
    }
}
