package dev.tocsin.localinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceBinaryTest {

    @TempDir
    Path root;

    @Test
    void jarRunsOnThisJvmWithTheConfigurationBeforeTheJar() throws IOException {
        Path jar = touch("alert-gateway/target/quarkus-app/quarkus-run.jar", false);

        ServiceBinary binary = ServiceBinary.jarOf(root, "alert-gateway");

        assertFalse(binary.nativeExecutable());
        assertEquals(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dquarkus.http.port=8080", "-Da=1", "-jar", jar.toString()), binary.command(8080, config()));
    }

    @Test
    void nativeExecutableTakesTheSameOptionsDirectly() throws IOException {
        Path runner = touch("alert-gateway/target/alert-gateway-1.0.0-SNAPSHOT-runner", true);
        touch("alert-gateway/target/alert-gateway-1.0.0-SNAPSHOT.jar", false);
        touch("alert-gateway/target/alert-gateway-1.0.0-SNAPSHOT-native-image-source-jar/x", false);

        ServiceBinary binary = ServiceBinary.nativeOf(root, "alert-gateway");

        assertTrue(binary.nativeExecutable());
        assertEquals(List.of(runner.toString(), "-Xmx512m", "-Dquarkus.http.port=8080", "-Da=1"),
                binary.command(8080, config()));
    }

    @Test
    void missingBinariesSayHowToBuildThem() {
        IllegalStateException noJar = assertThrows(IllegalStateException.class,
                () -> ServiceBinary.jarOf(root, "alert-ingest"));
        assertTrue(noJar.getMessage().contains("./mvnw -DskipTests package"), noJar.getMessage());
        IllegalStateException noRunner = assertThrows(IllegalStateException.class,
                () -> ServiceBinary.nativeOf(root, "alert-ingest"));
        assertTrue(noRunner.getMessage().contains("deploy/native/build.sh"), noRunner.getMessage());
    }

    @Test
    void aRunnerThatIsNotExecutableOrOfAnotherModuleIsNotTaken() throws IOException {
        touch("alert-ingest/target/alert-ingest-1.0.0-SNAPSHOT-runner", false);
        touch("alert-ingest/target/alert-gateway-1.0.0-SNAPSHOT-runner", true);

        assertThrows(IllegalStateException.class, () -> ServiceBinary.nativeOf(root, "alert-ingest"));
    }

    private static Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("a", "1");
        return config;
    }

    private Path touch(String relative, boolean executable) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.createFile(file);
        if (executable) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return file;
    }
}
