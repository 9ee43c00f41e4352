package dev.tocsin.gateway.admin;

import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.DevJwt;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.AlertEvent;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@GatewayTest
class AdminStatsTest extends GatewayQuarkusTest {

    @Test
    void statsSummarizeTheReplicaForAdminsOnly() {
        try (TestClient one = connected("st-alice", "viewer");
             TestClient two = connected("st-alice", "viewer")) {
            AlertEvent event = publish(Events.created("st-1", Audience.EVERYONE));
            one.next("alert");
            two.next("alert");
            given().auth().oauth2(DevJwt.shared().token("st-admin", "admin"))
                    .get("/api/v1/stats")
                    .then().statusCode(200)
                    .body("instanceId", notNullValue())
                    .body("connections", greaterThanOrEqualTo(2))
                    .body("healthyConnections", greaterThanOrEqualTo(2))
                    .body("users", greaterThanOrEqualTo(1))
                    .body("messagesSent", greaterThanOrEqualTo(4))
                    .body("averageLatencyMs", greaterThanOrEqualTo(0f))
                    .body("rateLimitViolations", greaterThanOrEqualTo(0))
                    .body("bans", greaterThanOrEqualTo(0))
                    .body("droppedFrames", greaterThanOrEqualTo(0))
                    .body("offlineQueue.inboxUsersDelivered", greaterThanOrEqualTo(0))
                    .body("offlineQueue.inboxDropped", greaterThanOrEqualTo(0))
                    .body("redis.subscribed", is(true))
                    .body("redis.epoch", is(event.epoch()))
                    .body("redis.lastSeq", greaterThanOrEqualTo((int) event.seq()))
                    .body("redis.resubscriptions", greaterThanOrEqualTo(0))
                    .body("draining", is(false));
        }
        given().auth().oauth2(DevJwt.shared().token("st-viewer", "viewer")).get("/api/v1/stats")
                .then().statusCode(403);
        given().get("/api/v1/stats").then().statusCode(401);
    }
}
