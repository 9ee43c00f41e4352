package dev.tocsin.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One {@code redis-server} process of a multi-node test set ({@link LocalRedisSentinel}, {@link LocalRedisCluster}),
 * logging to {@code <dir>/<name>.log}, plus the deadline-bounded wait those sets poll with.
 */
record RedisProcess(String name, int port, Process process) {

    static RedisProcess launch(Path dir, String name, int port, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
                .start();
        return new RedisProcess(name, port, process);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown, no last replication or gossip. */
    void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Polls {@code condition} until it holds; a node not answering yet ({@link IOException}) counts as not yet. */
    static void await(String what, Duration timeout, Condition condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                // a node not answering yet: keep waiting until the deadline
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(100); // poll interval of a deadline-bounded wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    interface Condition {
        boolean holds() throws IOException;
    }

    /** The {@code redis-server} binary a multi-node set needs ({@link LocalRedis#findBinary}); fails without one. */
    static String requireBinary(String what) {
        String binary = LocalRedis.findBinary();
        if (binary == null) {
            throw new IllegalStateException(what + " needs redis-server on the PATH (or TOCSIN_REDIS_SERVER)");
        }
        return binary;
    }

    /** Creates {@code dir} and runs {@code start} for {@code set}; on any failure closes what was started and rethrows. */
    static <T extends AutoCloseable> T startOrClose(T set, Path dir, Start start) {
        try {
            Files.createDirectories(dir);
            start.run();
            return set;
        } catch (RuntimeException | IOException e) {
            try {
                set.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    interface Start {
        void run() throws IOException;
    }
}
