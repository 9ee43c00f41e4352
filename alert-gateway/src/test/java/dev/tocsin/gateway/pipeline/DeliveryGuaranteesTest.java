package dev.tocsin.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.gateway.testsupport.GatewayQuarkusTest;
import dev.tocsin.gateway.testsupport.GatewayTest;
import dev.tocsin.gateway.testsupport.TestClient;
import dev.tocsin.localinfra.LocalRedis;
import dev.tocsin.localinfra.quarkus.InjectLocalRedis;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.AlertEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ordered pipeline against a real Redis: holes filled from the history, catch-up after resubscribing, duplicates. */
@QuarkusTest
@GatewayTest
class DeliveryGuaranteesTest extends GatewayQuarkusTest {

    @InjectLocalRedis
    LocalRedis localRedis;

    @Inject
    MeterRegistry registry;

    @Inject
    EventPipeline pipeline;

    private double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Reads alert frames until one with {@code lastSeq} arrived; returns their seqs in arrival order. */
    private static List<Long> alertSeqsUntil(TestClient client, long lastSeq) {
        List<Long> seqs = new ArrayList<>();
        while (seqs.isEmpty() || seqs.get(seqs.size() - 1) < lastSeq) {
            JsonNode frame = client.next();
            String type = frame.path("type").asText();
            if (type.equals("alert")) {
                seqs.add(frame.path("seq").asLong());
            } else if (type.equals("alert_batch")) {
                frame.path("alerts").forEach(a -> seqs.add(a.path("seq").asLong()));
            } else if (!type.equals("ping")) {
                throw new AssertionError("unexpected frame " + frame);
            }
        }
        return seqs;
    }

    @Test
    void aHoleLeftByPubSubIsFilledFromTheHistoryInOrder() {
        try (TestClient client = connected("dg-gap", "viewer")) {
            AlertEvent first = publish(Events.created("gap-1", Audience.EVERYONE));
            assertEquals(List.of(first.seq()), alertSeqsUntil(client, first.seq()));
            double filled = counter("tocsin.gateway.history.filled");

            AlertEvent lost1 = appendToHistoryOnly(Events.created("gap-2", Audience.EVERYONE));
            AlertEvent lost2 = appendToHistoryOnly(Events.created("gap-3", Audience.EVERYONE));
            AlertEvent next = publish(Events.created("gap-4", Audience.EVERYONE));

            assertEquals(List.of(lost1.seq(), lost2.seq(), next.seq()), alertSeqsUntil(client, next.seq()));
            assertEquals(filled + 2, counter("tocsin.gateway.history.filled"));
            client.assertPingPong("after-gap");
        }
    }

    @Test
    void trimmedEventsAreReportedWithAGapNotice() {
        try (TestClient client = connected("dg-trim", "viewer")) {
            AlertEvent first = publish(Events.created("trim-1", Audience.EVERYONE));
            assertEquals(List.of(first.seq()), alertSeqsUntil(client, first.seq()));
            double misses = counter("tocsin.gateway.history.misses");
            AlertEvent lost = appendToHistoryOnly(Events.created("trim-2", Audience.EVERYONE));
            redis.execute("XDEL", dev.tocsin.protocol.event.RedisKeys.defaults().history(), lost.seq() + "-0");
            AlertEvent next = publish(Events.created("trim-3", Audience.EVERYONE));

            JsonNode gap = client.next("gap");
            assertEquals(lost.seq(), gap.path("fromSeq").asLong());
            assertEquals(lost.seq(), gap.path("toSeq").asLong());
            assertEquals("history_trimmed", gap.path("reason").asText());
            assertEquals(next.seq(), client.next("alert").path("seq").asLong());
            assertEquals(misses + 1, counter("tocsin.gateway.history.misses"));
        }
    }

    @Test
    void duplicatesAndOldSequenceNumbersAreNotDeliveredAgain() {
        try (TestClient client = connected("dg-dup", "viewer")) {
            AlertEvent first = publish(Events.created("dup-1", Audience.EVERYONE));
            assertEquals(List.of(first.seq()), alertSeqsUntil(client, first.seq()));
            double duplicates = counter("tocsin.gateway.duplicates");

            publishRaw(Events.json(first)); // the same event again (old seq)
            AlertEvent replayedChange = new AlertEvent(first.epoch(), first.seq() + 1000, first.op(), first.alertId(),
                    first.alert(), first.changeId(), first.publishedAt());
            AlertEvent marker = publish(Events.created("dup-marker", Audience.EVERYONE));
            publishRaw(Events.json(replayedChange)); // same change id, newer seq: dropped by the change-id check

            assertEquals(marker.seq(), client.next("alert").path("seq").asLong());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> counter("tocsin.gateway.duplicates") >= duplicates + 2);
            AlertEvent after = publish(Events.created("dup-after", Audience.EVERYONE));
            assertEquals(after.seq(), client.next("alert").path("seq").asLong());
            assertEquals(pipeline.position().seq(), after.seq());
        }
    }

    @Test
    void eventsPublishedWhileTheSubscriptionWasDownAreCaughtUpInOrder() {
        try (TestClient client = connected("dg-kill", "viewer")) {
            AlertEvent first = publish(Events.created("kill-1", Audience.EVERYONE));
            assertEquals(List.of(first.seq()), alertSeqsUntil(client, first.seq()));
            long resubscriptions = subscription.resubscriptions();

            // Redis drops the gateway's pub/sub connection; the gateway subscribes again after its back-off
            // (at least 250 ms), and the two events below reach only the history meanwhile.
            redis.execute("CLIENT", "KILL", "TYPE", "pubsub");
            AlertEvent missed1 = appendToHistoryOnlyUnchecked(Events.created("kill-2", Audience.EVERYONE));
            AlertEvent missed2 = appendToHistoryOnlyUnchecked(Events.created("kill-3", Audience.EVERYONE));

            // No further event is needed: the catch-up after resubscribing delivers them.
            assertEquals(List.of(missed1.seq(), missed2.seq()), alertSeqsUntil(client, missed2.seq()));
            assertTrue(subscription.resubscriptions() > resubscriptions);
            AlertEvent live = publish(Events.created("kill-4", Audience.EVERYONE));
            assertEquals(List.of(live.seq()), alertSeqsUntil(client, live.seq()));
        }
    }

    @Test
    void afterARedisRestartTheHistoryWrittenMeanwhileIsDeliveredExactlyOnce() {
        try (TestClient client = connected("dg-restart", "viewer")) {
            AlertEvent first = publish(Events.created("rs-1", Audience.EVERYONE));
            assertEquals(List.of(first.seq()), alertSeqsUntil(client, first.seq()));

            localRedis.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> !subscription.isActive());
            localRedis.start();
            // Redis came back empty: the sequence starts over with a new epoch. These reach only the history,
            // written as soon as Redis answers, while the gateway waits out its back-off.
            List<AlertEvent> missed = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    missed.add(appendToHistoryOnlyUnchecked(Events.created("rs-2", Audience.EVERYONE))));
            missed.add(appendToHistoryOnlyUnchecked(Events.created("rs-3", Audience.EVERYONE)));
            await().atMost(Duration.ofSeconds(30)).until(subscription::isActive);
            AlertEvent live = publish(Events.created("rs-4", Audience.EVERYONE));

            List<Long> seqs = alertSeqsUntil(client, live.seq());
            assertEquals(List.of(missed.get(0).seq(), missed.get(1).seq(), live.seq()), seqs);
            assertEquals(live.epoch(), pipeline.position().epoch());
            client.assertPingPong("after-restart");
        } finally {
            localRedis.start();
        }
    }
}
