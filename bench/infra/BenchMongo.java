import dev.tocsin.localinfra.EmbeddedMongo;

/**
 * The embedded MongoDB wire-protocol server of local-infra (oplog on, so change streams work) on a given port, for
 * the benchmark's end-to-end scenario. Run in source-file mode, no build needed:
 * {@code java -cp 'local-infra/target/local-infra.jar:local-infra/target/lib/*' bench/infra/BenchMongo.java <port>}.
 * Stops on SIGTERM.
 */
public class BenchMongo {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "0");
        EmbeddedMongo mongo = EmbeddedMongo.start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(mongo::close));
        System.out.println("embedded MongoDB on " + mongo.connectionString());
        Thread.currentThread().join();
    }
}
