package dev.tocsin.e2e.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The {@code docker} command line, as the container test drives it (no client library: nothing to download). */
public final class DockerCli {

    /** What one command printed and how it ended. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }

        public String describe() {
            return "exit " + exitCode + (out.isBlank() ? "" : "\nstdout: " + out.strip())
                    + (err.isBlank() ? "" : "\nstderr: " + err.strip());
        }
    }

    private DockerCli() {
    }

    /** Runs {@code docker args...}; exit code 127 with the reason as stderr when there is no docker command. */
    public static Result run(Duration timeout, String... args) {
        return run(timeout, List.of(args));
    }

    public static Result run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return new Result(127, "", "cannot run docker: " + e.getMessage());
        }
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(124, out.join(), err.join() + "\n(timed out after " + timeout + ": " + command + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted: " + command, e);
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    /** Runs a command that must succeed and returns its trimmed stdout. */
    public static String check(Duration timeout, String... args) {
        Result result = run(timeout, args);
        if (!result.ok()) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + result.describe());
        }
        return result.out().strip();
    }

    /** Reads a stream to its end on its own thread (the common pool may have one thread on a small machine). */
    private static CompletableFuture<String> read(java.io.InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
            }
        }, "docker-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}
