package dev.tocsin.relay.support;

import dev.tocsin.localinfra.quarkus.MongoTestResource;
import dev.tocsin.localinfra.quarkus.RedisTestResource;
import io.quarkus.test.common.WithTestResource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The real servers every relay test runs against: redis-server, the embedded MongoDB, the fake push services. Put it
 * on every {@code @QuarkusTest} class: resources apply only to classes with the same set, and classes with the same
 * set share one application start.
 */
@WithTestResource(RedisTestResource.class)
@WithTestResource(MongoTestResource.class)
@WithTestResource(FakePushServers.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RelayTest {
}
