package dev.tocsin.protocol.quarkus;

import dev.tocsin.protocol.alert.Alert;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards the native-image reflection list: every record, enum, sealed interface and Jackson-annotated class that
 * alert-protocol ships must be a target of {@link ProtocolReflection}, so a new protocol type cannot be forgotten
 * (a JVM build would not notice; only a native executable would fail, at run time). Plain JUnit: it reads alert-protocol's classes from
 * wherever the test class path has them (the installed jar, or target/classes in a reactor build).
 */
class ProtocolReflectionTest {

    private static final String PACKAGE_DIR = "dev/tocsin/protocol/";

    @Test
    void everyProtocolRecordEnumAndSealedFamilyIsRegistered() throws Exception {
        Set<String> registered = registeredTargets();
        List<Class<?>> required = protocolJsonTypes();

        assertTrue(required.size() >= 40,
                "found only " + required.size() + " protocol types; is the scan looking at alert-protocol?");
        Set<String> missing = new TreeSet<>();
        for (Class<?> type : required) {
            if (!registered.contains(type.getName())) {
                missing.add(type.getName());
            }
        }
        assertEquals(Set.of(), missing,
                "add these alert-protocol types to @RegisterForReflection(targets) of " + ProtocolReflection.class.getName());
    }

    @Test
    void targetsAreListedOnce() {
        Class<?>[] targets = ProtocolReflection.class.getAnnotation(RegisterForReflection.class).targets();
        assertEquals(targets.length, new HashSet<>(Arrays.asList(targets)).size(), "duplicate targets");
    }

    private static Set<String> registeredTargets() {
        RegisterForReflection annotation = ProtocolReflection.class.getAnnotation(RegisterForReflection.class);
        Set<String> names = new HashSet<>();
        for (Class<?> target : annotation.targets()) {
            names.add(target.getName());
        }
        names.addAll(Arrays.asList(annotation.classNames()));
        return names;
    }

    /** Records, enums and sealed interfaces among alert-protocol's classes (not initialised, only inspected). */
    private static List<Class<?>> protocolJsonTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        ClassLoader loader = Alert.class.getClassLoader();
        for (String name : protocolClassNames()) {
            Class<?> type = Class.forName(name, false, loader);
            // enum constants with a body compile to anonymous subclasses: isEnum() is false for them, as it should be
            if (type.isRecord() || type.isEnum() || (type.isInterface() && type.isSealed()) || jacksonAnnotated(type)) {
                types.add(type);
            }
        }
        return types;
    }

    /** A class Jackson reads through its own annotations (a @JsonCreator factory, a @JsonValue), such as Cursor. */
    private static boolean jacksonAnnotated(Class<?> type) {
        return java.util.stream.Stream.concat(Arrays.stream(type.getDeclaredMethods()),
                        Arrays.stream(type.getDeclaredConstructors()))
                .flatMap(m -> Arrays.stream(m.getAnnotations()))
                .anyMatch(a -> a.annotationType().getName().startsWith("com.fasterxml.jackson.annotation."));
    }

    private static List<String> protocolClassNames() throws IOException, URISyntaxException {
        Path location = Path.of(Alert.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            Path root = location.resolve(PACKAGE_DIR);
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .forEach(f -> names.add(className(location.relativize(f).toString().replace('\\', '/'))));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream()
                        .map(JarEntry::getName)
                        .filter(n -> n.startsWith(PACKAGE_DIR) && n.endsWith(".class"))
                        .forEach(n -> names.add(className(n)));
            }
        }
        names.removeIf(n -> n.endsWith("module-info") || n.endsWith("package-info"));
        return names;
    }

    private static String className(String entry) {
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }
}
