package dev.tocsin.relay.event.health;

import dev.tocsin.relay.event.redis.EventSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the relay listens on the events channel. The built-in Redis check only proves a PING works;
 * this one proves the subscription (which pub/sub does not replay) came back after a Redis restart.
 */
@Readiness
@ApplicationScoped
public class EventSubscriptionHealthCheck implements HealthCheck {

    static final String NAME = "tocsin-relay-events-subscription";

    private final EventSubscriber subscriber;

    public EventSubscriptionHealthCheck(EventSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME)
                .status(subscriber.isSubscribed())
                .withData("channel", subscriber.channel())
                .build();
    }
}
