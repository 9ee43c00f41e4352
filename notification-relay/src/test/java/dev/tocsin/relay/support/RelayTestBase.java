package dev.tocsin.relay.support;

import com.mongodb.client.MongoClient;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every relay @QuarkusTest starts with: the real Redis and MongoDB clients, the fake push servers' URL, a
 * {@link Relay} helper over them, and a relay that is ready.
 */
public abstract class RelayTestBase {

    @Inject
    protected RedisDataSource redis;

    @Inject
    protected MongoClient mongo;

    @ConfigProperty(name = "tocsin.test.fake-push-url")
    protected String fakeUrl;

    protected Relay relay;

    @BeforeEach
    void ready() {
        relay = new Relay(redis, mongo, fakeUrl);
        Relay.awaitReady();
    }
}
