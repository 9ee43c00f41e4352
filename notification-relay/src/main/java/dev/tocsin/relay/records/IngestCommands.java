package dev.tocsin.relay.records;

import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.relay.redis.RelayKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Hands writes to alert-ingest (the only writer of MongoDB) as {@link IngestCommand} JSON on the stream
 * {@code <prefix>commands}, field {@code command}. Commands are idempotent on ingest's side, so a repeat after a
 * crash is harmless.
 */
@Singleton
public class IngestCommands {

    private final ReactiveRedisDataSource redis;
    private final String stream;

    public IngestCommands(ReactiveRedisDataSource redis, RelayKeys keys) {
        this.redis = redis;
        this.stream = keys.shared().commands();
    }

    public Uni<Void> record(DeliveryRecord record) {
        return send(new IngestCommand.RecordDelivery(record));
    }

    public Uni<Void> removeFcmToken(String user, String token, String reason) {
        return send(new IngestCommand.RemoveFcmToken(user, token, reason));
    }

    private Uni<Void> send(IngestCommand command) {
        return redis.execute("XADD", stream, "*", "command", Json.encode(command)).replaceWithVoid();
    }
}
