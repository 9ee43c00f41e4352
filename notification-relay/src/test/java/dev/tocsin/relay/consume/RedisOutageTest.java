package dev.tocsin.relay.consume;

import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.localinfra.quarkus.InjectLocalRedis;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@RelayTest
class RedisOutageTest extends RelayTestBase {

    @InjectLocalRedis
    LocalRedis localRedis;

    @AfterEach
    void redisBack() {
        // other test classes share this Redis: never leave it stopped
        localRedis.start();
    }

    @Test
    void readinessFollowsRedisAndTheConsumerComesBackWithoutState() {
        localRedis.stop();

        await().atMost(Relay.DEADLINE).until(() -> Relay.readinessStatus() == 503);
        given().get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'Redis connection health check' }.status", is("DOWN"))
                .body("checks.find { it.name == 'tocsin-relay-stream-consumer' }.status", is("DOWN"));
        // liveness must not follow Redis: restarting the relay would not bring Redis back
        given().get("/q/health/live").then().statusCode(200);

        localRedis.start(); // same port, empty: the consumer group must be created again

        Relay.awaitReady();
        String user = Relay.unique("u");
        String chat = Relay.unique("chat");
        relay.user(user, chat, List.of());
        Alert alert = Relay.alert(Priority.HIGH, Audience.of(List.of(user), List.of()), null);
        relay.created(alert);
        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 1);
    }
}
