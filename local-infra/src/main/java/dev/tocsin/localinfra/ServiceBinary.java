package dev.tocsin.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a packaged service runs from: its JVM jar ({@code <module>/target/quarkus-app/quarkus-run.jar}, the default)
 * or its native executable ({@code <module>/target/<module>-<version>-runner}, built by {@code deploy/native/build.sh})
 * when the system property {@code tocsin.native} or the environment variable {@code TOCSIN_NATIVE} is {@code true}.
 * Both take the same {@code -D} configuration and {@code -Xmx}, so the end-to-end tests and the local run start
 * either without knowing which.
 */
public record ServiceBinary(Path path, boolean nativeExecutable) {

    /** The switch: {@code -Dtocsin.native=true} (Maven passes it to the tests) or {@code TOCSIN_NATIVE=true}. */
    public static boolean nativeRequested() {
        String value = System.getProperty("tocsin.native", System.getenv("TOCSIN_NATIVE"));
        return Boolean.parseBoolean(value);
    }

    /** The binary of a service module below the repository root, as {@link #nativeRequested()} chooses. */
    public static ServiceBinary of(Path repoRoot, String module) {
        return nativeRequested() ? nativeOf(repoRoot, module) : jarOf(repoRoot, module);
    }

    public static ServiceBinary jarOf(Path repoRoot, String module) {
        Path jar = repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests package)");
        }
        return new ServiceBinary(jar, false);
    }

    public static ServiceBinary nativeOf(Path repoRoot, String module) {
        Path target = repoRoot.resolve(module).resolve("target");
        List<Path> runners;
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            runners = files.filter(p -> p.getFileName().toString().startsWith(module + "-")
                            && p.getFileName().toString().endsWith("-runner") && Files.isExecutable(p))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (runners.size() != 1) {
            throw new IllegalStateException("expected one native executable " + target + "/" + module
                    + "-<version>-runner, found " + runners + ": build them first (deploy/native/build.sh)");
        }
        return new ServiceBinary(runners.get(0), true);
    }

    /** The command line: the same heap cap and {@code -D} properties for the JVM and for a native executable. */
    public List<String> command(int port, Map<String, String> config) {
        List<String> command = new ArrayList<>();
        if (nativeExecutable) {
            command.add(path.toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        command.add("-Xmx512m");
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (!nativeExecutable) {
            command.add("-jar");
            command.add(path.toString());
        }
        return command;
    }
}
