package dev.tocsin.gateway.testsupport;

import dev.tocsin.gateway.broker.RedisEventSubscription;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;

import java.net.URI;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Shared plumbing of the Quarkus tests: the WebSocket URI, publishing to the real Redis channel. */
public abstract class GatewayTestSupport {

    @TestHTTPResource("/ws/alerts")
    protected URI httpUri;

    @Inject
    protected RedisDataSource redis;

    @Inject
    protected RedisEventSubscription subscription;

    protected URI wsUri() {
        return URI.create(httpUri.toString().replaceFirst("^http", "ws"));
    }

    protected URI wsUri(String query) {
        return URI.create(wsUri() + "?" + query);
    }

    protected void awaitSubscribed() {
        if (subscription.isActive()) {
            return; // Awaitility would first wait its poll delay
        }
        await().atMost(Duration.ofSeconds(30)).until(subscription::isActive);
    }

    /**
     * The publishing step of alert-ingest, as the contract fixes it, in one Lua script: INCR the sequence (a sequence
     * that starts at 1 gets a new epoch), splice epoch and seq into the event, XADD it to the history as {@code <seq>-0},
     * PUBLISH it (unless ARGV[3] is 0). Returns {seq, epoch}.
     */
    static final String PUBLISH_SCRIPT = """
            local seq = redis.call('INCR', KEYS[1])
            local epoch
            if seq == 1 then
              redis.call('SET', KEYS[2], ARGV[2])
              epoch = ARGV[2]
            else
              redis.call('SET', KEYS[2], ARGV[2], 'NX')
              epoch = redis.call('GET', KEYS[2])
            end
            local seqText = string.format('%d', seq)
            local event = '{"epoch":' .. cjson.encode(epoch) .. ',"seq":' .. seqText .. ',' .. string.sub(ARGV[1], 2)
            redis.call('XADD', KEYS[3], seqText .. '-0', 'seq', seqText, 'event', event)
            if ARGV[3] == '1' then
              redis.call('PUBLISH', KEYS[4], event)
            end
            return {seq, epoch}
            """;

    /** Publishes like alert-ingest (history and channel); returns the event with the position Redis gave it. */
    protected AlertEvent publish(AlertEvent event) {
        return append(event, true);
    }

    /** Appends to the history without publishing: pub/sub "lost" this event. */
    protected AlertEvent appendToHistoryOnly(AlertEvent event) {
        return append(event, false);
    }

    /** Like {@link #appendToHistoryOnly}, without waiting for the gateway's subscription (Redis outage tests). */
    protected AlertEvent appendToHistoryOnlyUnchecked(AlertEvent event) {
        return write(event, false);
    }

    private AlertEvent append(AlertEvent event, boolean publish) {
        awaitSubscribed();
        return write(event, publish);
    }

    private AlertEvent write(AlertEvent event, boolean publish) {
        RedisKeys keys = RedisKeys.defaults();
        com.fasterxml.jackson.databind.node.ObjectNode body =
                (com.fasterxml.jackson.databind.node.ObjectNode) dev.tocsin.protocol.json.Json.tree(Events.json(event));
        body.remove("epoch");
        body.remove("seq");
        io.vertx.mutiny.redis.client.Response result = redis.execute("EVAL", PUBLISH_SCRIPT, "4", keys.sequence(),
                keys.epoch(), keys.history(), keys.eventsChannel(), body.toString(),
                "epoch-" + java.util.UUID.randomUUID().toString().substring(0, 8), publish ? "1" : "0");
        return new AlertEvent(result.get(1).toString(), result.get(0).toLong(), event.op(), event.alertId(),
                event.alert(), event.changeId(), event.publishedAt());
    }

    protected void publishRaw(String text) {
        awaitSubscribed();
        redis.pubsub(String.class).publish(RedisKeys.defaults().eventsChannel(), text);
    }
}
