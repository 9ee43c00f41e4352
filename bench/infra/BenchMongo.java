import dev.tocsin.localinfra.EmbeddedMongo;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded MongoDB wire-protocol server of local-infra (oplog on, so change streams work) on a given port, for
 * the benchmark's end-to-end scenario. Run in source-file mode, no build needed:
 * {@code java -cp 'local-infra/target/local-infra.jar:local-infra/target/lib/*' bench/infra/BenchMongo.java <port> [oplog-seconds]}.
 * Every 5 s it drops oplog entries older than {@code oplog-seconds} (default 10; the load tool passes its
 * {@code --oplog-seconds}), as a real replica set's capped oplog does: the embedded server answers each
 * change-stream poll by scanning its whole oplog, so an oplog that only grew would make every poll of a long run
 * slower than the one before. Its oplog records the writes of the collection the tailer watches only
 * ({@code tocsin.alerts}, or the third argument, comma-separated): a replica set's change stream reads each entry
 * once, but the embedded server re-scans every entry on every poll, so writes no stream wants (delivery records,
 * one per alert and user; the tailer's own stored positions) made each poll as slow as all of them: at 5,000
 * clients and 10 alerts/s, 50,000 record upserts a second. Stops on SIGTERM.
 */
public class BenchMongo {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "0");
        Duration keep = Duration.ofSeconds(Long.parseLong(args.length > 1 ? args[1] : "10"));
        List<String> watched = List.of((args.length > 2 ? args[2] : "tocsin.alerts").split(","));
        EmbeddedMongo mongo = EmbeddedMongo.start(port, Set.copyOf(watched));
        ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor();
        trimmer.scheduleWithFixedDelay(() -> {
            try {
                int dropped = mongo.trimOplog(keep);
                if (dropped > 0) {
                    System.out.println("dropped " + dropped + " oplog entries older than " + keep.toSeconds() + " s");
                }
            } catch (RuntimeException e) {
                System.err.println("oplog trim failed: " + e);
            }
        }, 5, 5, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            trimmer.shutdownNow();
            mongo.close();
        }));
        System.out.println("embedded MongoDB on " + mongo.connectionString() + ", oplog kept for " + keep.toSeconds()
                + " s, oplog of " + watched + " only");
        Thread.currentThread().join();
    }
}
