package dev.tocsin.e2e.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a command (npm, for the TypeScript client's and the console's tests) in a folder, its output streamed into the
 * test log line by line with a prefix, and fails the test when it does not finish before the deadline (killing it and
 * its children).
 */
public final class StreamedCommand {

    private StreamedCommand() {
    }

    /** The command's exit code. */
    public static int run(Path directory, List<String> command, Map<String, String> environment, String prefix,
            Duration deadline) throws IOException, InterruptedException {
        System.out.println("$ " + String.join(" ", command) + "   (in " + directory + ")");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    System.out.println("[" + prefix + "] " + line);
                }
            } catch (IOException e) {
                // process gone
            }
        }, prefix + "-output");
        pump.setDaemon(true);
        pump.start();
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            pump.join(5_000);
            fail(String.join(" ", command) + " did not finish within " + deadline);
        }
        pump.join(5_000);
        return process.exitValue();
    }
}
