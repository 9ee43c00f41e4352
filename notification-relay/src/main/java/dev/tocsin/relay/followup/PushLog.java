package dev.tocsin.relay.followup;

import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.redis.RelayKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who was actually pushed an alert, on which channel: a Redis set per alert ({@link RelayKeys#pushed}), written when
 * a push is accepted and read when the alert is resolved or retracted, to send those users one follow-up on the same
 * channel. Kept for {@code schedule.state-ttl} after the last push, like the delivery ledger. Members are
 * {@code <user>|<channel>|<address digest>} (the digest names an FCM device; empty for Telegram): no device token is
 * written to Redis.
 */
@Singleton
public class PushLog {

    private final ReactiveRedisDataSource redis;
    private final RelayKeys keys;
    private final String ttl;

    public PushLog(ReactiveRedisDataSource redis, RelayKeys keys, RelayConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = Long.toString(config.schedule().stateTtl().toMillis());
    }

    /** One push a user was reached by. */
    public record Pushed(String user, DeliveryChannel channel, String addressDigest) {

        String member() {
            return user + "|" + channel.name().toLowerCase(Locale.ROOT) + "|" + (addressDigest == null ? "" : addressDigest);
        }

        /** Reads a member back; null when it is not one (user ids never contain {@code |} after the last two). */
        static Pushed parse(String member) {
            int last = member.lastIndexOf('|');
            int middle = last <= 0 ? -1 : member.lastIndexOf('|', last - 1);
            if (middle <= 0) {
                return null;
            }
            try {
                DeliveryChannel channel = DeliveryChannel.valueOf(
                        member.substring(middle + 1, last).toUpperCase(Locale.ROOT));
                String digest = member.substring(last + 1);
                return new Pushed(member.substring(0, middle), channel, digest.isEmpty() ? null : digest);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** Remembers that the push reached the user; completes when Redis has it. */
    public Uni<Void> record(String alertId, Pushed pushed) {
        String key = keys.pushed(alertId);
        return redis.execute("SADD", key, pushed.member())
                .chain(() -> redis.execute("PEXPIRE", key, ttl))
                .replaceWithVoid();
    }

    /** Everyone the alert was pushed to, by channel and device; empty when nobody (or the record expired). */
    public Uni<List<Pushed>> pushed(String alertId) {
        return redis.execute("SMEMBERS", keys.pushed(alertId)).map(response -> {
            List<Pushed> all = new ArrayList<>();
            if (response != null) {
                for (var member : response) {
                    Pushed pushed = Pushed.parse(member.toString());
                    if (pushed != null) {
                        all.add(pushed);
                    }
                }
            }
            return all;
        });
    }
}
