package dev.tocsin.relay.event;

import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.localinfra.quarkus.InjectLocalRedis;
import dev.tocsin.localinfra.quarkus.RedisTestResource;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.relay.support.Relay;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class RedisOutageTest {

    @InjectLocalRedis
    LocalRedis localRedis;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void redisBack() {
        // other test classes share this Redis: never leave it stopped
        localRedis.start();
    }

    @Test
    void readinessFollowsRedisAndTheSubscriptionComesBack() {
        Relay.awaitReady();

        localRedis.stop();

        await().atMost(Relay.DEADLINE).until(() -> Relay.readinessStatus() == 503);
        given().get("/q/health/ready").then()
                .statusCode(503)
                .body("status", is("DOWN"))
                .body("checks.find { it.name == 'Redis connection health check' }.status", is("DOWN"))
                .body("checks.find { it.name == 'tocsin-relay-events-subscription' }.status", is("DOWN"));
        // liveness must not follow Redis: restarting the relay would not bring Redis back
        given().get("/q/health/live").then().statusCode(200);

        localRedis.start(); // same port

        Relay.awaitReady();
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'Redis connection health check' }.status", is("UP"))
                .body("checks.find { it.name == 'tocsin-relay-events-subscription' }.status", is("UP"));

        // the resubscribed channel really delivers again
        double created = Relay.received(ChangeOp.CREATED);
        redis.execute("PUBLISH", Relay.CHANNEL, Relay.eventJson(ChangeOp.CREATED));
        await().atMost(Relay.DEADLINE).until(() -> Relay.received(ChangeOp.CREATED) == created + 1);
    }
}
