package dev.tocsin.localinfra.quarkus;

import dev.tocsin.localinfra.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a real {@code redis-server} on a free port for a {@code @QuarkusTest} and points
 * {@code quarkus.redis.hosts} at it. Tests that need to stop/restart Redis can inject it with
 * {@link InjectLocalRedis}.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalRedis redis;

    @Override
    public Map<String, String> start() {
        redis = LocalRedis.startOnFreePort();
        return Map.of("quarkus.redis.hosts", redis.uri());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(redis,
                new TestInjector.AnnotatedAndMatchesType(InjectLocalRedis.class, LocalRedis.class));
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.stop();
        }
    }
}
