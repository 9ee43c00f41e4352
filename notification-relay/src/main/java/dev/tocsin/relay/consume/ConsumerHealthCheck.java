package dev.tocsin.relay.consume;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the relay stream consumer works: its group exists and its last read succeeded. Redis and
 * MongoDB have their own (built-in) readiness checks next to this one.
 */
@Readiness
@ApplicationScoped
public class ConsumerHealthCheck implements HealthCheck {

    static final String NAME = "tocsin-relay-stream-consumer";

    private final StreamConsumer consumer;

    public ConsumerHealthCheck(StreamConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME)
                .status(consumer.isRunning())
                .withData("stream", consumer.stream())
                .withData("group", consumer.group())
                .withData("consumers", String.join(",", consumer.consumerNames()))
                .build();
    }
}
