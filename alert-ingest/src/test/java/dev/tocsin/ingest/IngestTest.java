package dev.tocsin.ingest;

import dev.tocsin.localinfra.quarkus.JwtTestResource;
import dev.tocsin.localinfra.quarkus.MongoTestResource;
import dev.tocsin.localinfra.quarkus.RedisTestResource;
import io.quarkus.test.common.WithTestResource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The real servers every ingest {@code @QuarkusTest} runs against: redis-server, the embedded MongoDB, and the
 * dev JWT key. Put it on every such class: resources are scoped to the classes that carry the same set
 * ({@code MATCHING_RESOURCES}), so one set everywhere means no extra application start between classes.
 */
@WithTestResource(RedisTestResource.class)
@WithTestResource(MongoTestResource.class)
@WithTestResource(JwtTestResource.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface IngestTest {
}
