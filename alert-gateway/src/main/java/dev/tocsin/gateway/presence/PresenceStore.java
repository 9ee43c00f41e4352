package dev.tocsin.gateway.presence;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.protocol.event.RedisKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Who is connected, across replicas: a sorted set per user ({@link RedisKeys#presence}), member
 * {@code <instance id>/<connection id>}, score the epoch ms at which the entry expires unless refreshed (now plus two
 * heartbeat intervals). A crashed replica's entries therefore age out by themselves. Reactive, never blocks.
 */
@ApplicationScoped
public class PresenceStore {

    /** Refreshes are sent in pipelined batches of this many commands. */
    static final int REFRESH_CHUNK = 500;

    private final ReactiveRedisDataSource redis;
    private final RedisKeys keys;
    private final long ttlMs;

    PresenceStore(ReactiveRedisDataSource redis, GatewayConfig config) {
        this.redis = redis;
        this.keys = new RedisKeys(config.keyPrefix());
        this.ttlMs = config.heartbeatInterval().toMillis() * 2;
    }

    /** Adds a connection and prunes expired members of the same user. */
    public Uni<Void> add(String user, String member) {
        long now = System.currentTimeMillis();
        String key = keys.presence(user);
        return redis.getRedis().batch(List.of(
                        Request.cmd(Command.ZADD).arg(key).arg(now + ttlMs).arg(member),
                        Request.cmd(Command.ZREMRANGEBYSCORE).arg(key).arg("-inf").arg(now),
                        Request.cmd(Command.PEXPIRE).arg(key).arg(ttlMs)))
                .replaceWithVoid();
    }

    public Uni<Void> remove(String user, String member) {
        return redis.execute("ZREM", keys.presence(user), member).replaceWithVoid();
    }

    /**
     * Records an opened connection's entry. If the connection closed while the ZADD was under way, the entry goes
     * again once it ended, so none is left behind; a failure is logged (the connection is served all the same).
     */
    public void register(PresenceEntry entry) {
        add(entry.user(), entry.member()).subscribe().with(
                ignored -> added(entry),
                failure -> {
                    Log.warnf("Could not record presence of connection %s: %s", entry.connectionId(),
                            failure.toString());
                    added(entry);
                });
    }

    /** The connection closed or is closing: its entry goes now, or once its ZADD ended; only once either way. */
    public void unregister(PresenceEntry entry) {
        if (entry.closed()) {
            removeQuietly(entry);
        }
    }

    private void added(PresenceEntry entry) {
        if (!entry.addFinished()) {
            removeQuietly(entry);
        }
    }

    private void removeQuietly(PresenceEntry entry) {
        remove(entry.user(), entry.member()).subscribe().with(ignored -> { },
                failure -> Log.debugf("Could not remove presence of connection %s (it expires by itself): %s",
                        entry.connectionId(), failure.toString()));
    }

    /** Live connections of a user on every replica (members whose expiry lies in the future). */
    public Uni<Long> live(String user) {
        return redis.getRedis().send(liveRequest(user)).map(PresenceStore::live);
    }

    /** The read behind {@link #live(String)}, for callers that pipeline it with other reads. */
    public Request liveRequest(String user) {
        return Request.cmd(Command.ZCOUNT).arg(keys.presence(user)).arg("(" + System.currentTimeMillis()).arg("+inf");
    }

    /** The answer to {@link #liveRequest(String)} as a count of live connections. */
    public static long live(Response response) {
        return response == null ? 0L : response.toLong();
    }

    /** Pushes the expiry of the given entries forward; pipelined in chunks, failures only logged. */
    public void refresh(List<PresenceEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<Request> chunk = new ArrayList<>();
        for (PresenceEntry entry : entries) {
            String key = keys.presence(entry.user());
            chunk.add(Request.cmd(Command.ZADD).arg(key).arg(now + ttlMs).arg(entry.member()));
            chunk.add(Request.cmd(Command.PEXPIRE).arg(key).arg(ttlMs));
            if (chunk.size() >= REFRESH_CHUNK) {
                send(chunk);
                chunk = new ArrayList<>();
            }
        }
        send(chunk);
    }

    private void send(List<Request> requests) {
        if (requests.isEmpty()) {
            return;
        }
        redis.getRedis().batch(requests).subscribe().with(ignored -> { },
                failure -> Log.warnf("Refreshing presence entries failed: %s", failure.toString()));
    }
}
