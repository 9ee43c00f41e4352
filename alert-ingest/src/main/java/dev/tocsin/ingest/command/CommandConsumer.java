package dev.tocsin.ingest.command;

import dev.tocsin.ingest.common.retry.ConsecutiveFailures;
import dev.tocsin.ingest.common.worker.WorkerThread;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.ingest.metrics.IngestMetrics;
import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.json.CodecException;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.pacing.Backoff;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Consumes the {@code <prefix>commands} stream with the consumer group shared by all ingest replicas, and applies
 * each command to MongoDB (this service being its only writer).
 *
 * <p><b>Why a dedicated thread with the blocking client:</b> XREADGROUP BLOCK is a long wait, and each command is
 * a blocking MongoDB write; on its own thread neither touches the event loop, and "ack after the write" is a plain
 * sequence. Entries are acknowledged (XACK) only after their write succeeded; an entry whose write failed stays
 * pending, and XAUTOCLAIM (run every {@code claim-interval} for entries idle longer than {@code claim-min-idle})
 * hands it, or the pending work of a replica that died, to a live consumer. Undecodable or invalid commands are
 * logged without their content, acknowledged and counted: retrying cannot fix them.
 */
@Singleton
public class CommandConsumer {

    static final String FIELD = "command";

    private final StreamCommands<String, String, String> streams;
    private final CommandHandler handler;
    private final IngestMetrics metrics;
    private final IngestConfig.CommandSettings settings;
    private final String key;
    private final String consumer;

    private final WorkerThread loop = new WorkerThread("tocsin-commands");
    private boolean groupReady;
    private long nextClaimAt;

    public CommandConsumer(RedisDataSource redis, CommandHandler handler, IngestMetrics metrics, IngestConfig config) {
        this.streams = redis.stream(String.class, String.class, String.class);
        this.handler = handler;
        this.metrics = metrics;
        this.settings = config.commands();
        this.key = new RedisKeys(config.redis().keyPrefix()).commands();
        this.consumer = settings.consumerName().orElseGet(CommandConsumer::defaultConsumerName);
    }

    public synchronized void start() {
        if (!loop.start(this::run)) {
            return;
        }
        Log.infof("command consumer %s started on %s (group %s)", consumer, key, settings.group());
    }

    /** Stops after the entry in hand; an unfinished entry stays pending and is claimed later. */
    public synchronized void stop() {
        loop.stop(settings.block().plusSeconds(5), Duration.ZERO);
    }

    public String consumerName() {
        return consumer;
    }

    private void run() {
        ConsecutiveFailures failures = new ConsecutiveFailures(new Backoff(settings.backoffInitial(), settings.backoffMax()));
        while (loop.running()) {
            try {
                if (!groupReady) {
                    ensureGroup();
                }
                if (System.currentTimeMillis() >= nextClaimAt) {
                    // Scheduled before the attempt: a failing claim must not starve the reading of new entries.
                    nextClaimAt = System.currentTimeMillis() + settings.claimInterval().toMillis();
                    claimStaleSafely();
                }
                List<StreamMessage<String, String, String>> messages = streams.xreadgroup(settings.group(), consumer,
                        key, ">", new XReadGroupArgs().count(settings.batchSize()).block(settings.block()));
                failures.reset();
                if (messages != null) {
                    for (StreamMessage<String, String, String> message : messages) {
                        if (!loop.running()) {
                            return;
                        }
                        handle(message);
                    }
                }
            } catch (RuntimeException e) {
                if (!loop.running()) {
                    return;
                }
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    groupReady = false; // the stream or group was deleted: create them again
                }
                Duration delay = failures.failed();
                Log.warnf("command stream read failed (%s: %s); retrying in %d ms", e.getClass().getSimpleName(),
                        e.getMessage(), delay.toMillis());
                pause(delay);
            }
        }
    }

    /** XGROUP CREATE ... 0 MKSTREAM: a new group starts at the beginning, so commands sent before any replica ran count. */
    private void ensureGroup() {
        try {
            streams.xgroupCreate(key, settings.group(), "0", new XGroupCreateArgs().mkstream());
            Log.infof("created consumer group %s on %s", settings.group(), key);
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
    }

    private void claimStaleSafely() {
        try {
            claimStale();
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                throw e; // handled by the loop: the group is created again
            }
            Log.warnf("claiming pending commands failed (%s: %s); next try in %s", e.getClass().getSimpleName(),
                    e.getMessage(), settings.claimInterval());
        }
    }

    /** Takes over entries pending longer than claim-min-idle (a failed write here, or a dead replica's work). */
    private void claimStale() {
        String cursor = "0-0";
        do {
            ClaimedMessages<String, String, String> claimed = streams.xautoclaim(key, settings.group(), consumer,
                    settings.claimMinIdle(), cursor, settings.batchSize());
            List<StreamMessage<String, String, String>> messages = claimed.getMessages();
            if (messages != null && !messages.isEmpty()) {
                Log.infof("claimed %d pending command(s) idle for over %s", messages.size(), settings.claimMinIdle());
                for (StreamMessage<String, String, String> message : messages) {
                    if (!loop.running()) {
                        return;
                    }
                    handle(message);
                }
            }
            cursor = claimed.getId();
        } while (loop.running() && cursor != null && !cursor.equals("0-0"));
    }

    private void handle(StreamMessage<String, String, String> message) {
        IngestCommand command;
        try {
            String text = message.payload() == null ? null : message.payload().get(FIELD);
            if (text == null) {
                throw new CodecException("no '" + FIELD + "' field", FIELD, null);
            }
            command = Json.decode(text, IngestCommand.class);
            if (command == null) {
                throw new CodecException("null command", FIELD, null);
            }
        } catch (CodecException e) {
            // The codec's message names the problem and the field, never the content.
            Log.warnf("command %s is undecodable (%s); dropped", message.id(), e.getMessage());
            metrics.command("unknown", "invalid");
            ack(message.id());
            return;
        }
        String type = CommandHandler.typeOf(command);
        try {
            CommandHandler.Outcome outcome = handler.apply(command);
            if (outcome == CommandHandler.Outcome.INVALID) {
                Log.warnf("command %s (%s) has missing or out-of-range fields; dropped", message.id(), type);
                metrics.command(type, "invalid");
            } else {
                metrics.command(type, "applied");
            }
            ack(message.id());
        } catch (RuntimeException e) {
            // Not acknowledged: it stays pending and is claimed again after claim-min-idle.
            metrics.command(type, "failed");
            Log.warnf("command %s (%s) failed (%s); it stays pending for a retry", message.id(), type,
                    e.getClass().getSimpleName());
        }
    }

    private void ack(String id) {
        streams.xack(key, settings.group(), id);
    }

    private void pause(Duration delay) {
        loop.pause(delay);
    }

    private static String defaultConsumerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        return "ingest-" + host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
