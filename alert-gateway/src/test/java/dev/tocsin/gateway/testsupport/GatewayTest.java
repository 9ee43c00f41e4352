package dev.tocsin.gateway.testsupport;

import dev.tocsin.localinfra.quarkus.JwtTestResource;
import dev.tocsin.localinfra.quarkus.RedisTestResource;
import io.quarkus.test.common.WithTestResource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The real servers every gateway {@code @QuarkusTest} runs against: a redis-server on a free port, the dev JWT keys,
 * and a local HTTP server standing in for alert-ingest. Every such test class carries it, so they all share one set
 * of resources (and one application start per test profile).
 */
@WithTestResource(RedisTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(FakeIngestResource.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface GatewayTest {
}
