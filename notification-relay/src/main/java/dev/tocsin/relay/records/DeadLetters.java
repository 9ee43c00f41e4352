package dev.tocsin.relay.records;

import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.relay.redis.RelayKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Deliveries the relay gave up on after its last attempt, on the stream {@code <prefix>relay:dead} (bounded to
 * about 100,000 entries) for an operator to inspect. Fields: alertId, user, channel, step, attempts, detail, at.
 * No device token or secret is written.
 */
@Singleton
public class DeadLetters {

    static final String MAX_ENTRIES = "100000";

    private final ReactiveRedisDataSource redis;
    private final String stream;

    public DeadLetters(ReactiveRedisDataSource redis, RelayKeys keys) {
        this.redis = redis;
        this.stream = keys.shared().relayDeadLetters();
    }

    public Uni<Void> add(DeliveryRecord record) {
        return redis.execute("XADD", stream, "MAXLEN", "~", MAX_ENTRIES, "*",
                "alertId", record.alertId(),
                "user", record.user(),
                "channel", record.channel().name().toLowerCase(java.util.Locale.ROOT),
                "step", record.step(),
                "attempts", Integer.toString(record.attempts()),
                "detail", record.detail() == null ? "" : record.detail(),
                "at", record.at().toString()).replaceWithVoid();
    }
}
