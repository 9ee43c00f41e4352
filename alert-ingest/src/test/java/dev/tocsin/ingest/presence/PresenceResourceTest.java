package dev.tocsin.ingest.presence;

import dev.tocsin.ingest.IngestTest;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@IngestTest
class PresenceResourceTest {

    @Inject
    RedisDataSource redis;

    @Test
    void liveSessionsCountAndExpiredOnesDoNot() {
        long now = System.currentTimeMillis();
        // what the gateways write: member <instance>/<connection>, score = expiry
        redis.sortedSet(String.class).zadd("tocsin:presence:pia", Map.of(
                "gw-a/c-1", (double) (now + 60_000),
                "gw-b/c-2", (double) (now - 1_000)));

        admin().get("/api/v1/presence/pia").then().statusCode(200)
                .body("user", equalTo("pia"))
                .body("online", equalTo(true))
                .body("sessions", hasSize(1))
                .body("sessions[0].instance", equalTo("gw-a"))
                .body("sessions[0].connectionId", equalTo("c-1"));

        admin().get("/api/v1/presence/nobody").then().statusCode(200)
                .body("online", equalTo(false))
                .body("sessions", hasSize(0));
    }

    @Test
    void onlyAdminsMayAsk() {
        as("pia", "operator").get("/api/v1/presence/pia").then().statusCode(403);
    }
}
