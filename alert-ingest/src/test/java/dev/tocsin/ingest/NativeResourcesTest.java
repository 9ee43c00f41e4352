package dev.tocsin.ingest;

import dev.tocsin.ingest.changestream.PublishScript;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A native executable holds only the class-path resources it is told to include. The Redis scripts are read from
 * the class path at run time ({@link PublishScript}), so every {@code .lua} file under {@code src/main/resources}
 * must be matched by {@code quarkus.native.resources.includes} in this service's own application.properties (not
 * a profile-scoped key, not the parent's native profile): otherwise the JVM build and all tests pass and only the
 * native executable fails, at start. Plain JUnit; Quarkus's glob syntax for these patterns ({@code *} within a path
 * segment, {@code **} across segments, comma-separated) is read with the JDK's equivalent glob matcher.
 */
class NativeResourcesTest {

    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final String KEY = "quarkus.native.resources.includes";

    @Test
    void everyLuaScriptIsIncludedInTheNativeImage() throws IOException {
        List<PathMatcher> includes = includes();
        List<String> scripts = luaScripts();

        assertFalse(scripts.isEmpty(), "no .lua file found under " + RESOURCES.toAbsolutePath());
        Set<String> missing = new TreeSet<>();
        for (String script : scripts) {
            if (!matched(includes, script)) {
                missing.add(script);
            }
        }
        assertEquals(Set.of(), missing, "extend " + KEY + " in application.properties to cover these scripts");
    }

    @Test
    void thePublishScriptThatIsReadAtRunTimeIsIncluded() throws IOException {
        String resource = PublishScript.RESOURCE.substring(1);
        assertTrue(Files.isRegularFile(RESOURCES.resolve(resource)), resource + " is not under " + RESOURCES);
        assertTrue(matched(includes(), resource), resource + " is not matched by " + KEY);
    }

    @Test
    void theMatcherTellsAMissingScriptApart() {
        // the test itself: a pattern that does not cover a script must report it
        List<PathMatcher> onlyLua = List.of(FileSystems.getDefault().getPathMatcher("glob:lua/**"));
        assertTrue(matched(onlyLua, "lua/publish-event.lua"));
        assertFalse(matched(onlyLua, "scripts/trim.lua"));
        assertFalse(matched(onlyLua, "publish.lua"));
    }

    private static boolean matched(List<PathMatcher> includes, String resource) {
        Path path = Path.of(resource);
        return includes.stream().anyMatch(m -> m.matches(path));
    }

    /** The unprofiled key's patterns: a {@code %prod.} one would not hold for every native build. */
    private static List<PathMatcher> includes() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(RESOURCES.resolve("application.properties"), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        String value = properties.getProperty(KEY);
        assertNotNull(value, KEY + " is not set (without a profile) in alert-ingest's application.properties");
        List<PathMatcher> matchers = new ArrayList<>();
        for (String pattern : value.split("(?<!\\\\),")) {
            String trimmed = pattern.trim();
            if (!trimmed.isEmpty()) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + trimmed));
            }
        }
        return matchers;
    }

    private static List<String> luaScripts() throws IOException {
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".lua"))
                    .map(f -> RESOURCES.relativize(f).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }
}
