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

    protected void publish(AlertEvent event) {
        publishRaw(Events.json(event));
    }

    protected void publishRaw(String text) {
        awaitSubscribed();
        redis.pubsub(String.class).publish(RedisKeys.defaults().eventsChannel(), text);
    }
}
