package dev.tocsin.localinfra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Redis server on a free loopback port, for tests and the local run. Uses {@code redis-server} from the
 * PATH (or {@code TOCSIN_REDIS_SERVER}); when there is none, the Redis binary bundled in the embedded-redis jar.
 * Nothing is persisted. {@link #stop()} and {@link #start()} can be called again to restart on the same port
 * (fault tests).
 */
public final class LocalRedis implements AutoCloseable {

    private final int port;
    private Process process;
    private redis.embedded.RedisServer embedded;

    private LocalRedis(int port) {
        this.port = port;
    }

    public static LocalRedis startOnFreePort() {
        LocalRedis redis = new LocalRedis(FreePort.find());
        redis.start();
        return redis;
    }

    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        String binary = findBinary();
        try {
            if (binary != null) {
                Path log = Files.createTempFile("tocsin-redis-" + port + "-", ".log");
                process = new ProcessBuilder(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--protected-mode", "yes"))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
            } else {
                embedded = redis.embedded.RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .build();
                embedded.start();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Redis on port " + port, e);
        }
        FreePort.awaitListening(port, Duration.ofSeconds(20));
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            embedded = null;
        }
        FreePort.awaitClosed(port, Duration.ofSeconds(20));
    }

    public synchronized boolean isRunning() {
        return (process != null && process.isAlive()) || embedded != null;
    }

    public int port() {
        return port;
    }

    /** The URI for {@code quarkus.redis.hosts}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }

    /** {@code redis-server} from {@code TOCSIN_REDIS_SERVER} or the PATH; null when there is none. */
    static String findBinary() {
        String configured = System.getenv("TOCSIN_REDIS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        return null;
    }
}
