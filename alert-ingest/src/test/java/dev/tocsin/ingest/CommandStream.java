package dev.tocsin.ingest;

import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.json.Json;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;

import java.util.Map;

/** The command stream as the relay and the gateway write it ({@code XADD tocsin:commands * command <json>}). */
public final class CommandStream {

    public static final String STREAM = "tocsin:commands";

    private final RedisDataSource redis;

    public CommandStream(RedisDataSource redis) {
        this.redis = redis;
    }

    private StreamCommands<String, String, String> streams() {
        return redis.stream(String.class, String.class, String.class);
    }

    /** Creates ingest's group from the start of the stream unless the consumer did already. */
    public CommandStream withGroup() {
        try {
            streams().xgroupCreate(STREAM, "ingest", "0", new XGroupCreateArgs().mkstream());
        } catch (RuntimeException e) {
            // BUSYGROUP: the consumer created it already
        }
        return this;
    }

    public void send(IngestCommand command) {
        streams().xadd(STREAM, Map.of("command", Json.encode(command)));
    }

    /** An entry with these fields as they are (malformed ones, for tests of what ingest drops). */
    public void raw(Map<String, String> fields) {
        streams().xadd(STREAM, fields);
    }

    /** Entries read by ingest's group and not acknowledged. */
    public long pending() {
        return streams().xpending(STREAM, "ingest").getPendingCount();
    }
}
