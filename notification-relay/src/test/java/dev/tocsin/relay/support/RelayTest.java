package dev.tocsin.relay.support;

import dev.tocsin.localinfra.quarkus.MongoTestResource;
import dev.tocsin.localinfra.quarkus.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The real servers every relay test runs against: redis-server, the embedded MongoDB, the fake push services. */
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(MongoTestResource.class)
@QuarkusTestResource(FakePushServers.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RelayTest {
}
