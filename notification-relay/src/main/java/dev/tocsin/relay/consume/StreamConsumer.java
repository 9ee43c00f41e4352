package dev.tocsin.relay.consume;

import dev.tocsin.protocol.pacing.Backoff;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.redis.RelayKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Consumes the relay stream ({@code <prefix>relay}, written by alert-ingest in its publish script) in consumer
 * group {@code relay}: at-least-once, shared by all replicas, surviving restarts.
 *
 * <ul>
 *   <li>the group is created on first start ({@code XGROUP CREATE <stream> relay $ MKSTREAM}) and again whenever
 *       Redis lost it;</li>
 *   <li>each loop first re-reads its own unacknowledged entries ({@code 0}), then new ones ({@code >}), blocking
 *       for {@code consumer.block};</li>
 *   <li>an entry is acknowledged only after {@link EventHandler} stored its work in Redis;</li>
 *   <li>every {@code consumer.claim-interval}, {@code XAUTOCLAIM} takes over entries that another consumer read but
 *       did not acknowledge for {@code consumer.claim-idle}: the work of a dead replica is resumed.</li>
 * </ul>
 * Nothing here blocks a thread: waiting is a blocking Redis command on a pooled connection or a timer.
 */
@Singleton
public class StreamConsumer {

    private final ReactiveStreamCommands<String, String, String> streams;
    private final ReactiveRedisDataSource redis;
    private final EventHandler handler;
    private final RelayConfig.Consumer config;
    private final Backoff backoff;
    private final String stream;
    private final String baseName;
    private final List<Loop> loops = new ArrayList<>();
    private volatile boolean running;

    public StreamConsumer(ReactiveRedisDataSource redis, EventHandler handler, RelayKeys keys, RelayConfig config) {
        this.redis = redis;
        this.streams = redis.stream(String.class, String.class, String.class);
        this.handler = handler;
        this.config = config.consumer();
        this.backoff = new Backoff(this.config.initialBackoff(), this.config.maxBackoff());
        this.stream = keys.shared().relayStream();
        this.baseName = this.config.name().filter(n -> !n.isBlank()).orElseGet(StreamConsumer::defaultName);
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        int instances = Math.max(1, config.instances());
        for (int i = 1; i <= instances; i++) {
            Loop loop = new Loop(instances == 1 ? baseName : baseName + "-" + i);
            loops.add(loop);
            loop.schedule(Duration.ZERO);
        }
        Log.infof("Consuming %s as group %s, consumer(s) %s", stream, config.group(),
                loops.stream().map(l -> l.name).toList());
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
    }

    /** True while every consumer loop's last read (or group creation) succeeded. */
    public boolean isRunning() {
        return running && !loops.isEmpty() && loops.stream().allMatch(l -> l.healthy);
    }

    public String stream() {
        return stream;
    }

    public String group() {
        return config.group();
    }

    public List<String> consumerNames() {
        return loops.stream().map(l -> l.name).toList();
    }

    /** Host name (the pod name in Kubernetes) plus a random suffix, so two processes on one host never share a name. */
    private static String defaultName() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("relay");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** One consumer of the group, reading in a loop of non-blocking steps. */
    private final class Loop {
        final String name;
        volatile boolean healthy;
        boolean groupReady;
        boolean backlogRead;
        Instant nextClaim = Instant.EPOCH;
        int failures; // in a row; 0 while reads work

        Loop(String name) {
            this.name = name;
        }

        void schedule(Duration delay) {
            if (!running) {
                return;
            }
            Uni<Void> start = delay.isZero() ? Uni.createFrom().voidItem()
                    : Uni.createFrom().voidItem().onItem().delayIt().by(delay);
            start.chain(this::iteration).subscribe().with(ignored -> {
                healthy = true;
                failures = 0;
                schedule(Duration.ZERO);
            }, failure -> {
                if (healthy || failures == 0) {
                    Log.warnf("Relay stream consumer %s failed (retrying): %s", name, describe(failure));
                }
                healthy = false;
                groupReady = false; // Redis may have restarted empty: create the group again
                backlogRead = false; // re-read what this consumer holds but has not acknowledged
                failures++;
                schedule(backoff.ceiling(failures));
            });
        }

        private Uni<Void> iteration() {
            return ensureGroup().chain(this::claimAbandoned).chain(this::read);
        }

        private Uni<Void> ensureGroup() {
            if (groupReady) {
                return Uni.createFrom().voidItem();
            }
            return redis.execute("XGROUP", "CREATE", stream, config.group(), "$", "MKSTREAM")
                    .replaceWithVoid()
                    .onFailure(e -> String.valueOf(e.getMessage()).contains("BUSYGROUP")).recoverWithNull()
                    .invoke(() -> {
                        groupReady = true;
                        healthy = true;
                    });
        }

        private Uni<Void> claimAbandoned() {
            Instant now = Instant.now();
            if (now.isBefore(nextClaim)) {
                return Uni.createFrom().voidItem();
            }
            nextClaim = now.plus(config.claimInterval());
            return streams.xautoclaim(stream, config.group(), name, config.claimIdle(), "0-0", config.batchSize())
                    .chain(claimed -> {
                        List<StreamMessage<String, String, String>> messages = claimed == null ? List.of()
                                : claimed.getMessages();
                        if (!messages.isEmpty()) {
                            Log.infof("Consumer %s took over %d abandoned relay stream entries", name, messages.size());
                        }
                        return process(messages);
                    });
        }

        private Uni<Void> read() {
            String from = backlogRead ? ">" : "0";
            XReadGroupArgs args = new XReadGroupArgs().count(config.batchSize());
            if (backlogRead) {
                args.block(config.block());
            }
            return streams.xreadgroup(config.group(), name, stream, from, args)
                    .chain(messages -> {
                        List<StreamMessage<String, String, String>> list = messages == null ? List.of() : messages;
                        if (!backlogRead && list.isEmpty()) {
                            backlogRead = true;
                        }
                        return process(list);
                    });
        }

        private Uni<Void> process(List<StreamMessage<String, String, String>> messages) {
            if (messages.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            // in order, one at a time: a created event must be planned before the ack that follows it
            return Multi.createFrom().iterable(messages)
                    .onItem().transformToUniAndConcatenate(this::handle)
                    .collect().last().replaceWithVoid();
        }

        private Uni<Void> handle(StreamMessage<String, String, String> message) {
            String event = message.payload() == null ? null : message.payload().get("event");
            // entries read from the backlog after XACK elsewhere come back with no fields: just acknowledge them
            Uni<Void> work = event == null ? Uni.createFrom().voidItem() : handler.handle(event);
            return work.chain(() -> streams.xack(stream, config.group(), message.id())).replaceWithVoid();
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
