package dev.tocsin.ingest.alert.expiry;

import dev.tocsin.ingest.IngestTest;
import dev.tocsin.ingest.TestSupport;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.event.AlertEvent;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.tocsin.ingest.TestSupport.admin;
import static dev.tocsin.ingest.TestSupport.awaitHistoryEvent;
import static dev.tocsin.ingest.TestSupport.create;
import static dev.tocsin.ingest.TestSupport.historyOf;
import static dev.tocsin.ingest.TestSupport.uniqueType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scheduled job (every 1 s in tests) expires due alerts once; a second run finds nothing to do. */
@QuarkusTest
@IngestTest
class AlertExpiryTest {

    @Inject
    RedisDataSource redis;

    @Inject
    AlertExpiryJob job;

    @Test
    void dueAlertsExpireOnceAndOthersStayActive() {
        TestSupport.awaitChangeStreamOpen();
        String type = uniqueType();
        String soon = create("""
                {"priority":"high","type":"%s","title":"soon","message":"m","source":"s","expiresAt":"%s"}
                """.formatted(type, Instant.now().plusSeconds(10)));
        String later = create("""
                {"priority":"high","type":"%s","title":"later","message":"m","source":"s","expiresAt":"%s"}
                """.formatted(type, Instant.now().plus(Duration.ofDays(1))));

        // expiresAt must be in the future when the POST is validated, even on a loaded CI machine: 10 s of margin,
        // then a generous deadline for the job (1 s interval in %test) to mark it
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "expired".equals(admin().get("/api/v1/alerts/" + soon).jsonPath().getString("status")));
        // Expiring is a write: the version rises from 1 to 2.
        admin().get("/api/v1/alerts/" + soon).then().statusCode(200)
                .body("lastChange", org.hamcrest.Matchers.equalTo("expired"))
                .body("version", org.hamcrest.Matchers.equalTo(2));
        admin().get("/api/v1/alerts/" + later).then().body("status", org.hamcrest.Matchers.equalTo("active"));

        AlertEvent event = awaitHistoryEvent(redis, soon,
                e -> e.alert() != null && e.alert().lastChange() == AlertChange.EXPIRED);
        assertEquals(AlertStatus.EXPIRED, event.alert().status());
        assertEquals(2, event.alert().version());

        // Idempotent: running again (as another replica would) changes nothing, so no further event.
        job.expireDue();
        admin().body("{\"types\":[\"" + type + "\"]}").post("/api/v1/alerts/clear").then().statusCode(200)
                .body("cleared", org.hamcrest.Matchers.equalTo(1));
        awaitHistoryEvent(redis, later, e -> e.alert() != null && e.alert().lastChange() == AlertChange.CLEARED);
        assertEquals(1, historyOf(redis, soon).stream()
                .filter(e -> e.alert() != null && e.alert().lastChange() == AlertChange.EXPIRED).count());
        // A cleared or expired alert is not cleared again.
        admin().get("/api/v1/alerts/" + soon).then().body("status", org.hamcrest.Matchers.equalTo("expired"))
                .body("version", org.hamcrest.Matchers.equalTo(2));
        // Its timeline names the job, once.
        admin().get("/api/v1/alerts/" + soon + "/timeline").then().statusCode(200)
                .body("entries.kind", org.hamcrest.Matchers.equalTo(java.util.List.of("created", "expired")))
                .body("entries[1].actor", org.hamcrest.Matchers.equalTo(AlertExpiryJob.ACTOR));
    }
}
