package dev.tocsin.gateway.health;

import dev.tocsin.gateway.broker.RedisEventSubscription;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the gateway is subscribed to the event channel: without it, clients would get no alerts. */
@Readiness
@ApplicationScoped
public class RedisSubscriptionHealthCheck implements HealthCheck {

    private final RedisEventSubscription subscription;

    RedisSubscriptionHealthCheck(RedisEventSubscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("redis-subscription")
                .status(subscription.isActive())
                .withData("channel", subscription.channel())
                .withData("resubscriptions", subscription.resubscriptions());
        if (subscription.isActive() && subscription.activeSince() != null) {
            builder.withData("since", subscription.activeSince().toString());
        }
        return builder.build();
    }
}
