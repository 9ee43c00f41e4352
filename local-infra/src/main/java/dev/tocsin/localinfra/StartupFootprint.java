package dev.tocsin.localinfra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Startup time and memory of each service from its jar and, where built, its native executable
 * ({@code java -jar local-infra/target/local-infra.jar footprint [runs]}; docs/operations.md, "Native images"). Against
 * the embedded MongoDB and a local Redis (or {@code TOCSIN_MONGODB_URI} / {@code TOCSIN_REDIS_URI}), each service is
 * started {@code runs} times (default 3) alone with the e2e configuration and a 512 MiB heap cap, and the medians are
 * printed: milliseconds from spawning the process to {@code /q/health/ready} answering 200 (polled every 10 ms), and
 * the process's resident set size when ready and after 10 s idle. A measurement, not a test: nothing is asserted.
 */
final class StartupFootprint {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Duration IDLE = Duration.ofSeconds(10);

    private StartupFootprint() {
    }

    record Sample(long readyMillis, long readyRssKib, long idleRssKib) {
    }

    static void run(int runs) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path work = root.resolve(".tocsin-dev/footprint");
        try (LocalStack stack = LocalStack.infrastructure(root, work, System.getenv("TOCSIN_MONGODB_URI"),
                System.getenv("TOCSIN_REDIS_URI"))) {
            System.out.printf("%-20s %-7s %5s %10s %14s %14s%n", "service", "binary", "runs", "ready ms",
                    "RSS ready MiB", "RSS idle MiB");
            for (String module : List.of(LocalStack.INGEST, LocalStack.GATEWAY, LocalStack.RELAY)) {
                Map<String, ServiceBinary> binaries = new LinkedHashMap<>();
                binaries.put("jvm", ServiceBinary.jarOf(root, module));
                try {
                    binaries.put("native", ServiceBinary.nativeOf(root, module));
                } catch (IllegalStateException notBuilt) {
                    System.out.println(module + ": no native executable (deploy/native/build.sh builds them)");
                }
                for (Map.Entry<String, ServiceBinary> binary : binaries.entrySet()) {
                    List<Sample> samples = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        samples.add(measure(stack, module, binary.getValue(), work.resolve(module + "-"
                                + binary.getKey() + "-" + i + ".log")));
                    }
                    System.out.printf("%-20s %-7s %5d %10d %14.1f %14.1f%n", module, binary.getKey(), runs,
                            median(samples.stream().mapToLong(Sample::readyMillis).toArray()),
                            median(samples.stream().mapToLong(Sample::readyRssKib).toArray()) / 1024.0,
                            median(samples.stream().mapToLong(Sample::idleRssKib).toArray()) / 1024.0);
                }
            }
        }
    }

    private static Sample measure(LocalStack stack, String module, ServiceBinary binary, Path log) throws Exception {
        int port = FreePort.find();
        ServiceProcess service = new ServiceProcess(module, binary, port, stack.configFor(module), log);
        HttpRequest ready = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(1)).GET().build();
        long start = System.nanoTime();
        service.start();
        try {
            long deadline = start + Duration.ofSeconds(90).toNanos();
            while (!answers200(ready)) {
                if (!service.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(module + " did not become ready:\n" + service.logTail(30));
                }
                Thread.sleep(10); // poll interval of the readiness wait
            }
            long readyMillis = (System.nanoTime() - start) / 1_000_000;
            long readyRss = rssKib(service.pid());
            Thread.sleep(IDLE.toMillis()); // the idle period whose end is measured
            return new Sample(readyMillis, readyRss, rssKib(service.pid()));
        } finally {
            service.stop(Duration.ofSeconds(20));
        }
    }

    private static boolean answers200(HttpRequest request) throws InterruptedException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** VmRSS of a Linux process, in KiB. */
    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
