package dev.tocsin.relay.event;

import dev.tocsin.localinfra.quarkus.RedisTestResource;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.relay.support.Relay;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class EventIntakeTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void subscribed() {
        Relay.awaitReady();
    }

    @Test
    void aPublishedEventIsCountedByOp() {
        double created = Relay.received(ChangeOp.CREATED);
        double deleted = Relay.received(ChangeOp.DELETED);

        publish(Relay.eventJson(ChangeOp.CREATED));
        publish(Relay.eventJson(ChangeOp.DELETED));

        await().atMost(Relay.DEADLINE).until(() -> Relay.received(ChangeOp.CREATED) == created + 1
                && Relay.received(ChangeOp.DELETED) == deleted + 1);
    }

    @Test
    void garbageIsCountedAsAFailureAndTheNextEventStillCounts() {
        double failures = Relay.decodeFailures();
        double updated = Relay.received(ChangeOp.UPDATED);

        publish("{not json");
        publish("{\"seq\":\"x\",\"op\":\"exploded\"}");
        publish("{\"epoch\":\"e\",\"seq\":1}"); // valid JSON, but no op and no alertId
        publish(Relay.eventJson(ChangeOp.UPDATED));

        await().atMost(Relay.DEADLINE).until(() -> Relay.decodeFailures() == failures + 3
                && Relay.received(ChangeOp.UPDATED) == updated + 1);
    }

    private void publish(String text) {
        long receivers = redis.execute("PUBLISH", Relay.CHANNEL, text).toLong();
        assertTrue(receivers >= 1, "nobody subscribed to " + Relay.CHANNEL);
    }
}
