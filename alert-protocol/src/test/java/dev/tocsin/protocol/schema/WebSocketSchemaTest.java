package dev.tocsin.protocol.schema;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.filter.AlertFilter;
import dev.tocsin.protocol.filter.Area;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.Cursor;
import dev.tocsin.protocol.message.ErrorCode;
import dev.tocsin.protocol.message.ServerMessage;
import dev.tocsin.protocol.message.ServerMessage.UpdateStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/schema/websocket and the message records are one contract: every record, encoded by the codec, matches its
 * schema; every field the codec writes is typed there (so the schemas are not vacuous); and every message type has
 * exactly one schema file, so a new type without a schema fails the build.
 */
class WebSocketSchemaTest {

    private static final WebSocketSchemas SCHEMAS = WebSocketSchemas.shared();
    private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");
    private static final String ID = "65f0c0ffee0000000000abcd";
    private static final String EPOCH = "c0ffee";

    /** Alert with every field set: acknowledged, then cleared. */
    private static final Alert FULL = new Alert(ID, Priority.CRITICAL, "outbreak_risk", "Flood risk", "River above 5 m",
            "sensor-7", new Location(48.1, 11.5, "DE-BY"), 0.75, 0.5, 1200L, true, "https://example.org/alerts/1",
            AT.plus(6, ChronoUnit.HOURS), AT, AT.plusSeconds(90), Audience.of(List.of("alice"), List.of("oncall-eu")),
            Map.of("gauge", "G-12", "level", 5.2, "sensors", List.of(1, 2)), AlertStatus.CLEARED, "bob",
            AT.plusSeconds(30), "carol", AT.plusSeconds(90), AlertChange.CLEARED, "oncall-eu", 3);
    /** An active alert assigned to a group, with notes. */
    private static final Alert ASSIGNED = new Alert(ID, Priority.HIGH, "outbreak_risk", "Flood risk", "River above 5 m",
            "sensor-7", null, null, null, null, false, null, null, AT, AT.plusSeconds(120), Audience.EVERYONE, null,
            AlertStatus.ACTIVE, "bob", AT.plusSeconds(30), null, null, AlertChange.ASSIGNED, null, 4, null, null, null,
            Assignee.group("oncall-eu"), "carol", AT.plusSeconds(120), 2);
    /** A new alert as alert-ingest stores it: only what the REST API requires, and what it sets itself. */
    private static final Alert NEW = new Alert(ID, Priority.LOW, "data_quality", "Gauge offline", "No reading for 10 min",
            "sensor-9", null, null, null, null, false, null, null, AT, AT, Audience.EVERYONE, null, AlertStatus.ACTIVE,
            null, null, null, null, AlertChange.CREATED, null, 1);
    private static final AlertFilter FILTER = new AlertFilter(EnumSet.of(Priority.CRITICAL, Priority.HIGH),
            Set.of("outbreak_risk"), Set.of("DE-BY"), new Area(new Area.BoundingBox(47.2, 10.1, 50.6, 13.9), null), 0.5);

    /** Realistic frames of every server record (several where a record has variants). */
    private static final Map<Class<?>, List<ServerMessage>> SERVER = Map.ofEntries(
            samples(new ServerMessage.ConnectionEstablished("a1b2c3", "alice", AT, 30_000,
                    Map.of("maxFrameBytes", 65536, "messagesPerMinute", 60, "maxConnectionsPerUser", 5,
                            "batchWindowMs", 100L, "maxBatchSize", 50, "outboundQueueSize", 1000),
                    EPOCH, 42L, Cursor.of(42)),
                    new ServerMessage.ConnectionEstablished("a1b2c3", "alice", AT, 30_000,
                            Map.of("maxFrameBytes", 65536, "messagesPerMinute", 60, "maxConnectionsPerUser", 5,
                                    "batchWindowMs", 100L, "maxBatchSize", 50, "outboundQueueSize", 1000),
                            null, 0L, Cursor.of(0))),
            samples(new ServerMessage.AlertMessage(EPOCH, 42, ChangeOp.CREATED, ID, 3, FULL, Cursor.parse("41;critical=42")),
                    new ServerMessage.AlertMessage(EPOCH, 43, ChangeOp.CREATED, ID, 1, NEW, null)),
            samples(new ServerMessage.AlertBatch(EPOCH, List.of(
                    new ServerMessage.BatchedAlert(EPOCH, 44, ChangeOp.CREATED, ID, 1, NEW),
                    new ServerMessage.BatchedAlert(EPOCH, 46, ChangeOp.CREATED, ID, 3, FULL)), Cursor.of(46))),
            samples(new ServerMessage.AlertUpdate(EPOCH, 47, ID, UpdateStatus.CLEARED, 3L, FULL, Cursor.of(47)),
                    new ServerMessage.AlertUpdate(EPOCH, 48, ID, UpdateStatus.DELETED, null, null, Cursor.of(48))),
            samples(new ServerMessage.AlertAck(EPOCH, 45, ID, "bob", AT.plusSeconds(30), 2,
                    Cursor.parse("44;critical=45;high=45"))),
            samples(new ServerMessage.AckResult("a-7", ID, "bob", AT.plusSeconds(30), true, 2)),
            samples(new ServerMessage.ClearResult("c-1", 12), new ServerMessage.ClearResult(null, 0)),
            samples(new ServerMessage.AlertNoteAdded(EPOCH, 49, ID, new AlertNote("65f0c0ffee0000000000c001", "bob",
                    AT.plusSeconds(60), "pump fixed"), 3, Cursor.of(49)),
                    new ServerMessage.AlertNoteAdded(EPOCH, 50, ID, new AlertNote("n", "bob", AT, "x"), 1, null)),
            samples(new ServerMessage.ActionResult("as-1", "assign", ID, 4, ASSIGNED),
                    new ServerMessage.ActionResult(null, "resolve", ID, 2, NEW)),
            samples(new ServerMessage.NoteResult("n-1", ID, new AlertNote("n", "bob", AT, "x")),
                    new ServerMessage.NoteResult(null, ID, new AlertNote("n", "bob", AT, "x"))),
            samples(new ServerMessage.SubscriptionResponse("s-1", List.of("direct", "everyone", "oncall-eu"), FILTER),
                    new ServerMessage.SubscriptionResponse(null, List.of(), null)),
            samples(new ServerMessage.Ping(AT, EPOCH, Cursor.of(48)), new ServerMessage.Ping(AT)),
            samples(new ServerMessage.Pong("p-1", AT)),
            samples(new ServerMessage.RateLimitWarning("r-61", 60, 850, 1)),
            samples(new ServerMessage.ConnectionStats("st", 7, 12, 0, new ServerMessage.Latency(3.25, 8, 4), AT)),
            samples(new ServerMessage.Gap(44, 46, 2, "slow_consumer", EPOCH, Cursor.of(43)),
                    new ServerMessage.Gap(-1, -1, 1, "slow_consumer"), new ServerMessage.Gap(45, 45, 1, "history_trimmed")),
            samples(new ServerMessage.Error(ErrorCode.UNKNOWN_TYPE, "unknown message type", "7"),
                    new ServerMessage.Error(ErrorCode.MALFORMED_JSON, "malformed JSON", null)),
            samples(new ServerMessage.SyncResponse("y-1", true, EPOCH, 43L, 48L, 4, null, null, Cursor.of(48)),
                    ServerMessage.SyncResponse.recovered(null, EPOCH, 49, 49, 0),
                    ServerMessage.SyncResponse.notRecovered("y-2", "epoch_changed", EPOCH, 48)),
            samples(new ServerMessage.Inbox(20, 3)));

    /** Realistic messages of every client record. */
    private static final Map<Class<?>, List<ClientMessage>> CLIENT = Map.ofEntries(
            samples(new ClientMessage.Ping("p-1"), new ClientMessage.Ping(null)),
            samples(new ClientMessage.Pong(null)),
            samples(new ClientMessage.Subscribe("s-1", List.of("everyone", "oncall-eu"))),
            samples(new ClientMessage.Unsubscribe("s-2", List.of("direct"))),
            samples(new ClientMessage.UpdateFilters("f-1", FILTER),
                    new ClientMessage.UpdateFilters("f-2", new AlertFilter(null, null, null,
                            new Area(null, new Area.Circle(48.1, 11.5, 25)), null)),
                    new ClientMessage.UpdateFilters("f-3", null)),
            samples(new ClientMessage.Ack("a-1", ID)),
            samples(new ClientMessage.Resolve("r-1", ID, "pump fixed"), new ClientMessage.Resolve(null, ID, null)),
            samples(new ClientMessage.Unack("u-1", ID)),
            samples(new ClientMessage.Assign("as-1", ID, "bob", null), new ClientMessage.Assign("as-2", ID, null,
                    "oncall-eu"), new ClientMessage.Assign("as-3", ID, null, null)),
            samples(new ClientMessage.Note("n-1", ID, "on my way")),
            samples(new ClientMessage.Clear("c-1", EnumSet.of(Priority.LOW, Priority.INFO), Set.of("data_quality"), AT,
                            List.of(ID, "65F0C0FFEE0000000000ABCE")),
                    new ClientMessage.Clear(null, null, null, AT, null),
                    new ClientMessage.Clear("c-2", null, null, null, List.of(ID, ID))),
            samples(new ClientMessage.GetStats("st")),
            samples(new ClientMessage.Sync("y-1", Cursor.parse("41;critical=43"), EPOCH, AT, EnumSet.of(Priority.CRITICAL),
                    true, 500),
                    new ClientMessage.Sync("y-2", Cursor.of(0), null, null, null, null, null)));

    @SafeVarargs
    private static <T> Map.Entry<Class<?>, List<T>> samples(T first, T... more) {
        List<T> all = new ArrayList<>();
        all.add(first);
        all.addAll(Arrays.asList(more));
        return Map.entry(first.getClass(), all);
    }

    @Test
    void everyMessageTypeHasExactlyOneSchemaFileAndTheDispatchersNameThemAll() {
        Set<String> server = typeNames(ServerMessage.class);
        Set<String> client = typeNames(ClientMessage.class);
        assertEquals(server, schemaFiles("server/"), "one schema file per server message type, docs/schema/websocket/server");
        assertEquals(client, schemaFiles("client/"), "one schema file per client message type, docs/schema/websocket/client");
        assertEquals(server, dispatched(WebSocketSchemas.SERVER_MESSAGE, "server/"));
        assertEquals(client, dispatched(WebSocketSchemas.CLIENT_MESSAGE, "client/"));
        for (String file : SCHEMAS.files().keySet()) {
            if (file.contains("/")) {
                String type = file.substring(file.indexOf('/') + 1, file.length() - ".json".length());
                assertEquals(type, SCHEMAS.tree(file).at("/properties/type/const").asText(), file + ": type is const");
            }
        }
    }

    @Test
    void everySchemaFileIsADraft202012Schema() {
        SCHEMAS.files().forEach((file, text) -> {
            assertEquals(WebSocketSchemas.META_SCHEMA, SCHEMAS.tree(file).path("$schema").asText(), file);
            assertEquals(List.of(), SCHEMAS.problems(WebSocketSchemas.META_SCHEMA, text), file);
        });
    }

    @Test
    void everyServerRecordEncodedByTheCodecMatchesItsSchema() {
        assertEquals(Set.of(ServerMessage.class.getPermittedSubclasses()), SERVER.keySet(), "a sample of every record");
        SERVER.values().forEach(samples -> samples.forEach(message -> {
            String json = Json.encode(message);
            SCHEMAS.assertServerFrame(json);
            SCHEMAS.assertValid("server/" + Json.tree(json).path("type").asText() + ".json", json);
        }));
    }

    @Test
    void everyClientRecordEncodedByTheCodecMatchesItsSchema() {
        assertEquals(Set.of(ClientMessage.class.getPermittedSubclasses()), CLIENT.keySet(), "a sample of every record");
        CLIENT.values().forEach(samples -> samples.forEach(message -> {
            String json = Json.encode(message);
            SCHEMAS.assertValid(WebSocketSchemas.CLIENT_MESSAGE, json);
            SCHEMAS.assertValid("client/" + Json.tree(json).path("type").asText() + ".json", json);
        }));
    }

    /**
     * Each value the codec writes, in turn given a value of the wrong JSON type, makes the message invalid: the schemas
     * type every field the records have (a field added to a record but not to its schema fails here), and the
     * dispatchers really apply the per-type schemas. Only free-form maps (an alert's metadata) are left alone.
     */
    @Test
    void aValueOfTheWrongTypeAnywhereMakesAMessageInvalid() {
        List<String> undescribed = new ArrayList<>();
        SERVER.values().forEach(samples -> samples.forEach(message ->
                undescribed.addAll(acceptedMutations(WebSocketSchemas.SERVER_MESSAGE, Json.encode(message)))));
        CLIENT.values().forEach(samples -> samples.forEach(message ->
                undescribed.addAll(acceptedMutations(WebSocketSchemas.CLIENT_MESSAGE, Json.encode(message)))));
        assertEquals(List.of(), undescribed, "values of the wrong type that the schemas accepted");
    }

    @Test
    void framesThatBreakTheContractAreRefused() {
        String alert = Json.encode(SERVER.get(ServerMessage.AlertMessage.class).get(0));
        Map<String, String> server = new LinkedHashMap<>();
        server.put("a cursor as a number", alert.replace("\"cursor\":\"41;critical=42\"", "\"cursor\":42"));
        server.put("a cursor lane that is no priority", alert.replace("41;critical=42", "41;urgent=42"));
        server.put("no v", alert.replace("\"v\":1,", ""));
        server.put("v 2", alert.replace("\"v\":1", "\"v\":2"));
        server.put("an instant that is not one", alert.replace("\"createdAt\":\"2026-11-23T10:15:30.123Z\"",
                "\"createdAt\":\"yesterday\""));
        server.put("an unknown type", alert.replace("\"type\":\"alert\"", "\"type\":\"alert_v2\""));
        server.put("no type", alert.replace("\"type\":\"alert\",", ""));
        server.put("an alert without id", alert.replace("\"id\":\"" + ID + "\",", ""));
        server.put("an alert_update updated without its alert",
                Json.encode(new ServerMessage.AlertUpdate(EPOCH, 47, ID, UpdateStatus.UPDATED, 3L, null, null)));
        server.put("an alert_update deleted with an alert",
                Json.encode(new ServerMessage.AlertUpdate(EPOCH, 47, ID, UpdateStatus.DELETED, 3L, FULL, null)));
        server.put("a batch entry that is a whole alert frame", "{\"type\":\"alert_batch\",\"v\":1,\"epoch\":\"c0ffee\","
                + "\"alerts\":[" + alert + "]}");
        server.put("a sync_response not recovered without its seq", Json.encode(
                new ServerMessage.SyncResponse("y", false, EPOCH, null, null, null, "history_trimmed", null, null)));
        server.put("a gap for an unknown reason", Json.encode(new ServerMessage.Gap(1, 2, 2, "lost")));
        server.put("an unknown error code", Json.encode(new ServerMessage.Error(ErrorCode.INTERNAL, "x", null))
                .replace("internal", "oops"));
        Map<String, String> client = new LinkedHashMap<>();
        client.put("sync from a position without its epoch", "{\"type\":\"sync\",\"since\":\"41;critical=43\"}");
        client.put("sync without since", "{\"type\":\"sync\",\"epoch\":\"c0ffee\"}");
        client.put("clear without a criterion", "{\"type\":\"clear\",\"id\":\"c\"}");
        client.put("clear with empty lists only", "{\"type\":\"clear\",\"priorities\":[],\"types\":[]}");
        client.put("clear with an empty ids list only", "{\"type\":\"clear\",\"ids\":[]}");
        client.put("clear with an empty ids list besides a criterion",
                "{\"type\":\"clear\",\"ids\":[],\"types\":[\"data_quality\"]}");
        client.put("clear by an id that is no alert id", "{\"type\":\"clear\",\"ids\":[\"" + ID + "\",\"x1\"]}");
        client.put("clear by 201 ids", "{\"type\":\"clear\",\"ids\":["
                + String.join(",", Collections.nCopies(201, "\"" + ID + "\"")) + "]}");
        client.put("ack of an id that is no alert id", "{\"type\":\"ack\",\"alertId\":\"../../admin\"}");
        client.put("subscribe to nothing", "{\"type\":\"subscribe\",\"groups\":[]}");
        client.put("an id longer than 64", "{\"type\":\"ping\",\"id\":\"" + "x".repeat(65) + "\"}");
        client.put("an area with both shapes", "{\"type\":\"update_filters\",\"filters\":{\"area\":{"
                + "\"bbox\":{\"minLat\":1,\"minLon\":1,\"maxLat\":2,\"maxLon\":2},\"circle\":{\"lat\":1,\"lon\":1,\"radiusKm\":5}}}}");
        server.forEach((what, json) -> assertFalse(SCHEMAS.problems(WebSocketSchemas.SERVER_MESSAGE, json).isEmpty(),
                () -> what + " was accepted: " + json));
        client.forEach((what, json) -> assertFalse(SCHEMAS.problems(WebSocketSchemas.CLIENT_MESSAGE, json).isEmpty(),
                () -> what + " was accepted: " + json));
        // and the cases the rules leave open are accepted
        SCHEMAS.assertValid(WebSocketSchemas.CLIENT_MESSAGE, "{\"type\":\"sync\",\"since\":0}");
        SCHEMAS.assertValid(WebSocketSchemas.CLIENT_MESSAGE, "{\"type\":\"clear\",\"ids\":["
                + String.join(",", Collections.nCopies(200, "\"" + ID + "\"")) + "]}");
        SCHEMAS.assertValid(WebSocketSchemas.CLIENT_MESSAGE, "{\"type\":\"sync\",\"since\":\"0;critical=3\"}");
        SCHEMAS.assertValid(WebSocketSchemas.CLIENT_MESSAGE, "{\"type\":\"sync\",\"since\":42,\"epoch\":\"c0ffee\"}");
        SCHEMAS.assertServerFrame(alert.replace("{\"type\":\"alert\",", "{\"type\":\"alert\",\"addedLater\":[1],"));
    }

    @Test
    void theSchemasEnumsAreTheProtocolsEnums() {
        assertEquals(wire(Priority.values()), definedEnum("priority"));
        assertEquals(wire(ErrorCode.values()), definedEnum("errorCode"));
        assertEquals(wire(UpdateStatus.values()), definedEnum("updateStatus"));
        assertEquals(wire(ChangeOp.values()), definedEnum("changeOp"));
        assertEquals(wire(AlertStatus.values()), definedEnum("alertStatus"));
        assertEquals(wire(AlertChange.values()), definedEnum("alertChange"));
    }

    /** The JSON pointers of the values whose replacement by a wrong-typed one the schema still accepted. */
    private static List<String> acceptedMutations(String schema, String json) {
        JsonNode original = Json.tree(json);
        List<String> accepted = new ArrayList<>();
        for (String pointer : valuePointers(original, "")) {
            JsonNode mutated = original.deepCopy();
            JsonNode parent = mutated.at(pointer.substring(0, pointer.lastIndexOf('/')));
            String last = pointer.substring(pointer.lastIndexOf('/') + 1);
            JsonNode wrong = mutated.at(pointer).isBoolean() ? TextNode.valueOf("yes") : BooleanNode.TRUE;
            if (parent instanceof ObjectNode object) {
                object.set(last, wrong);
            } else {
                ((ArrayNode) parent).set(Integer.parseInt(last), wrong);
            }
            if (SCHEMAS.problems(schema, mutated.toString()).isEmpty()) {
                accepted.add(original.path("type").asText() + " " + pointer);
            }
        }
        return accepted;
    }

    /** Pointers to every value below {@code node}, except inside free-form metadata. */
    private static List<String> valuePointers(JsonNode node, String at) {
        List<String> pointers = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                String pointer = at + "/" + name;
                pointers.add(pointer);
                if (!name.equals("metadata")) {
                    pointers.addAll(valuePointers(node.get(name), pointer));
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                pointers.add(at + "/" + i);
                pointers.addAll(valuePointers(node.get(i), at + "/" + i));
            }
        }
        return pointers;
    }

    private static Set<String> typeNames(Class<?> root) {
        return Arrays.stream(root.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> schemaFiles(String folder) {
        return SCHEMAS.files().keySet().stream().filter(file -> file.startsWith(folder))
                .map(file -> file.substring(folder.length(), file.length() - ".json".length()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The types a dispatcher names, each checked to dispatch to its own file. */
    private static Set<String> dispatched(String dispatcher, String folder) {
        JsonNode schema = SCHEMAS.tree(dispatcher);
        Set<String> types = new TreeSet<>();
        schema.at("/properties/type/enum").forEach(type -> types.add(type.asText()));
        Set<String> routed = new TreeSet<>();
        for (JsonNode rule : schema.path("allOf")) {
            String type = rule.at("/if/properties/type/const").asText();
            assertEquals(folder + type + ".json", rule.at("/then/$ref").asText(), dispatcher);
            routed.add(type);
        }
        assertEquals(types, routed, dispatcher + ": every type it knows is dispatched");
        return types;
    }

    private static List<String> definedEnum(String name) {
        List<String> values = new ArrayList<>();
        SCHEMAS.tree("definitions.json").at("/$defs/" + name + "/enum").forEach(value -> values.add(value.asText()));
        assertTrue(!values.isEmpty(), "definitions.json has no enum " + name);
        return values;
    }

    private static List<String> wire(Enum<?>[] values) {
        return Arrays.stream(values).map(value -> value.name().toLowerCase(Locale.ROOT)).toList();
    }
}
