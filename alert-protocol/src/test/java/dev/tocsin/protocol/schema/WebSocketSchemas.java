package dev.tocsin.protocol.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.tocsin.protocol.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The JSON Schemas of the WebSocket protocol ({@code docs/schema/websocket}), read from the repository's docs folder
 * (tests run in their module's folder, a sibling of {@code docs}) and checked with a draft 2020-12 validator, formats
 * asserted ({@code date-time} is checked, not only annotated). Nothing is fetched: every {@code $ref} resolves to one of
 * these files by its {@code $id}. Test support, shared with the services' contract tests through alert-protocol's
 * test-jar.
 */
public final class WebSocketSchemas {

    public static final Path DIR = Path.of("..", "docs", "schema", "websocket");
    /** Every file's {@code $id} is this plus its path below {@link #DIR}. */
    public static final String BASE_ID = "https://tocsin.dev/schema/websocket/v1/";
    public static final String SERVER_MESSAGE = "server-message.json";
    public static final String CLIENT_MESSAGE = "client-message.json";
    /** The draft 2020-12 meta-schema, which the validator carries itself. */
    public static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    private static volatile WebSocketSchemas shared;

    /** File path below {@link #DIR} ({@code server/alert.json}) → text. */
    private final Map<String, String> files;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private WebSocketSchemas(Map<String, String> files) {
        this.files = files;
        Map<String, String> byId = new TreeMap<>();
        files.forEach((file, text) -> byId.put(BASE_ID + file, text));
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemas(byId)
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The schemas, read once per test JVM. */
    public static WebSocketSchemas shared() {
        WebSocketSchemas schemas = shared;
        if (schemas == null) {
            schemas = read();
            shared = schemas;
        }
        return schemas;
    }

    private static WebSocketSchemas read() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(DIR)) {
            for (Path path : (Iterable<Path>) paths.filter(p -> p.toString().endsWith(".json"))::iterator) {
                String file = DIR.relativize(path).toString().replace('\\', '/');
                String text = Files.readString(path);
                String id = Json.tree(text).path("$id").asText();
                if (!id.equals(BASE_ID + file)) {
                    throw new IllegalStateException(DIR.resolve(file) + ": $id must be " + BASE_ID + file + ", not " + id);
                }
                files.put(file, text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schemas in " + DIR.toAbsolutePath().normalize(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no schema in " + DIR.toAbsolutePath().normalize());
        }
        return new WebSocketSchemas(files);
    }

    /** The schema files, as paths below {@link #DIR} ({@code server/alert.json}). */
    public Map<String, String> files() {
        return files;
    }

    /** A schema file as a tree. */
    public JsonNode tree(String file) {
        String text = files.get(file);
        if (text == null) {
            throw new IllegalArgumentException("no schema file " + file + " in " + DIR);
        }
        return Json.tree(text);
    }

    /** What is wrong with {@code json} by the schema {@code file} ({@code server-message.json}); empty when it is valid. */
    public List<String> problems(String file, String json) {
        String id = file.equals(META_SCHEMA) ? META_SCHEMA : BASE_ID + file;
        Schema schema = schemas.computeIfAbsent(id, key -> registry.getSchema(SchemaLocation.of(key)));
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    /** Fails with every problem when {@code json} does not match the schema {@code file}. */
    public void assertValid(String file, String json) {
        List<String> problems = problems(file, json);
        if (!problems.isEmpty()) {
            throw new AssertionError("not valid by " + file + ": " + problems + "\n  " + json);
        }
    }

    /** Fails when a frame, as the server sent it, does not match {@code server-message.json}. */
    public void assertServerFrame(String frame) {
        assertValid(SERVER_MESSAGE, frame);
    }
}
