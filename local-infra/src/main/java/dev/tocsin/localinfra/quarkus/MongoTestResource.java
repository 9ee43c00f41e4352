package dev.tocsin.localinfra.quarkus;

import dev.tocsin.localinfra.EmbeddedMongo;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts the embedded MongoDB wire-protocol server (oplog on) and points {@code quarkus.mongodb.connection-string} at it. */
public class MongoTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedMongo mongo;

    @Override
    public Map<String, String> start() {
        mongo = EmbeddedMongo.start();
        return Map.of("quarkus.mongodb.connection-string", mongo.connectionString());
    }

    @Override
    public void stop() {
        if (mongo != null) {
            mongo.close();
        }
    }
}
