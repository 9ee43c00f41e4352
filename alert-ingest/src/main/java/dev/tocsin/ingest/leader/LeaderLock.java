package dev.tocsin.ingest.leader;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;

/**
 * The Redis commands of the leader lock {@code <prefix>ingest:leader}: take it ({@code SET NX PX} with a random
 * token), renew it and release it only while it still holds this replica's token (compare-and-pexpire and
 * compare-and-del, each one Lua script, so a replica never extends or deletes a lock another replica took after
 * its own expired). Blocking; called from the election thread only.
 */
public final class LeaderLock {

    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0""";

    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""";

    private final Redis redis;
    private final String key;
    private final Duration ttl;
    private final Duration timeout;

    public LeaderLock(Redis redis, String key, Duration ttl) {
        this.redis = redis;
        this.key = key;
        this.ttl = ttl;
        // A call that takes longer than a third of the lifetime cannot keep the lock safely anyway.
        this.timeout = Duration.ofMillis(Math.max(100, ttl.toMillis() / 3));
    }

    public String key() {
        return key;
    }

    public Duration ttl() {
        return ttl;
    }

    /** True when this call took the lock for {@code token}. */
    public boolean tryAcquire(String token) {
        Response response = send(Request.cmd(Command.SET).arg(key).arg(token).arg("NX").arg("PX").arg(ttl.toMillis()));
        return response != null && "OK".equals(response.toString());
    }

    /** True while the lock still holds {@code token} (its lifetime starts again). */
    public boolean renew(String token) {
        Response response = send(Request.cmd(Command.EVAL).arg(RENEW).arg(1).arg(key).arg(token).arg(ttl.toMillis()));
        return response != null && response.toLong() == 1;
    }

    /** Deletes the lock if it still holds {@code token}; true when it did. */
    public boolean release(String token) {
        Response response = send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(key).arg(token));
        return response != null && response.toLong() == 1;
    }

    private Response send(Request request) {
        return redis.send(request).await().atMost(timeout);
    }
}
