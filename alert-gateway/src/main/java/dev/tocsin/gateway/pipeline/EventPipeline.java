package dev.tocsin.gateway.pipeline;

import dev.tocsin.gateway.clock.Timers;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.protocol.event.AlertEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The gateway's one {@link OrderedEventPipeline}, wired to the event history, its sink (the hub's fan-out, through the
 * {@link PipelineSink} this package owns: the pipeline knows nothing of connections) and the metrics. Every event
 * from pub/sub enters here; connections read the position here (greeting, {@code sync}).
 */
@Singleton
public class EventPipeline {

    private final OrderedEventPipeline pipeline;

    EventPipeline(EventHistory history, PipelineSink sink, GatewayMetrics metrics, GatewayConfig config, Timers timers,
            MeterRegistry registry) {
        PipelineCounters counters = new PipelineCounters() {
            @Override
            public void duplicate(String reason) {
                metrics.duplicate(reason);
            }

            @Override
            public void filled(long events) {
                metrics.historyFilled(events);
            }

            @Override
            public void historyMissed(long events) {
                metrics.historyMissed(events);
            }

            @Override
            public void epochChanged() {
                metrics.epochChanged();
            }
        };
        this.pipeline = new OrderedEventPipeline(history, sink, counters, timers, config.recentChangeIds(),
                config.sync().windowSize(), config.sync().windowMaxBytes().asLongValue(),
                config.resubscribeInitialBackoff().toMillis(), config.resubscribeMaxBackoff().toMillis());
        Gauge.builder("tocsin.gateway.position.seq", pipeline, p -> p.position().seq())
                .description("The last event sequence number this gateway delivered").strongReference(true)
                .register(registry);
        Gauge.builder("tocsin.gateway.sync.window.bytes", pipeline, OrderedEventPipeline::recentBytes)
                .description("Estimated heap of the events kept to answer sync from memory").baseUnit("bytes")
                .strongReference(true).register(registry);
        Gauge.builder("tocsin.gateway.pipeline.waiting", pipeline, OrderedEventPipeline::waiting)
                .description("Events waiting behind a history read").strongReference(true).register(registry);
    }

    public void offer(AlertEvent event) {
        pipeline.offer(event);
    }

    public void subscribed() {
        pipeline.subscribed();
    }

    public Position position() {
        return pipeline.position();
    }

    /** See {@link OrderedEventPipeline#recent}. */
    public List<AlertEvent> recent(String epoch, long from, long to, Instant notBefore) {
        return pipeline.recent(epoch, from, to, notBefore);
    }

    /** See {@link OrderedEventPipeline#atomically}. */
    public <T> T atomically(Function<Position, T> action) {
        return pipeline.atomically(action);
    }
}
