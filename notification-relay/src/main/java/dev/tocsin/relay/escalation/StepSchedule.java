package dev.tocsin.relay.escalation;

import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.redis.RelayKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable plan of pending steps, in Redis so that it survives restarts and is shared by all replicas: a sorted
 * set of members {@code <alertId>|<index>|<step>} scored by due time.
 *
 * <ul>
 *   <li>{@link #schedule} adds an alert's steps once (the alert's state key is the guard) unless it is already
 *       closed;</li>
 *   <li>{@link #claimDue} hands due steps to exactly one replica by moving their score to now + lease in the same
 *       script: a replica that dies mid-step leaves the step to reappear when the lease ends;</li>
 *   <li>{@link #cancel} closes the alert and removes all of its pending steps in one script.</li>
 * </ul>
 */
@Singleton
public class StepSchedule {

    private static final String SCHEDULE = """
            if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
            if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
            if ARGV[3] ~= '' then redis.call('SET', KEYS[5], ARGV[3], 'PX', ARGV[2]) end
            for i = 4, #ARGV, 2 do
              redis.call('ZADD', KEYS[1], 'NX', ARGV[i + 1], ARGV[i])
              redis.call('SADD', KEYS[3], ARGV[i])
            end
            redis.call('PEXPIRE', KEYS[3], ARGV[2])
            return 1
            """;

    private static final String CANCEL = """
            redis.call('SET', KEYS[4], '1', 'PX', ARGV[1])
            local members = redis.call('SMEMBERS', KEYS[3])
            for _, m in ipairs(members) do redis.call('ZREM', KEYS[1], m) end
            redis.call('DEL', KEYS[3], KEYS[5])
            return #members
            """;

    private static final String CLAIM = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
            for _, m in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], m) end
            return due
            """;

    private final ReactiveRedisDataSource redis;
    private final RelayKeys keys;
    private final RelayConfig.Schedule config;

    public StepSchedule(ReactiveRedisDataSource redis, RelayKeys keys, RelayConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.config = config.schedule();
    }

    /**
     * Plans the steps of a new alert. Idempotent: a replayed {@code created} event finds the alert's state key and
     * changes nothing (due times are never pushed back).
     *
     * @param createdEvent the {@code created} event as read from the stream, kept for the offline inboxes until the
     *                     first step ran; null to keep nothing
     * @return 1 scheduled, 0 already scheduled, -1 already closed
     */
    public Uni<Long> schedule(String alertId, String alertJson, String createdEvent, Instant base, List<Step> steps) {
        long longest = steps.stream().map(Step::delay).max(Duration::compareTo).orElse(Duration.ZERO).toMillis();
        long ttl = config.stateTtl().toMillis() + longest;
        List<String> args = new ArrayList<>();
        args.add(SCHEDULE);
        args.add("5");
        args.add(keys.due());
        args.add(keys.alert(alertId));
        args.add(keys.steps(alertId));
        args.add(keys.closed(alertId));
        args.add(keys.createdEvent(alertId));
        args.add(alertJson);
        args.add(Long.toString(ttl));
        args.add(createdEvent == null ? "" : createdEvent);
        for (Step step : steps) {
            args.add(step.member(alertId));
            args.add(Long.toString(base.plus(step.delay()).toEpochMilli()));
        }
        return redis.execute("EVAL", args.toArray(String[]::new)).map(Response::toLong);
    }

    /** Keeps the stored alert current (edits before an escalation), without extending or creating its state. */
    public Uni<Void> refresh(String alertId, String alertJson) {
        return redis.execute("SET", keys.alert(alertId), alertJson, "XX", "KEEPTTL").replaceWithVoid();
    }

    /** Closes the alert: no further step runs and no further delivery is sent. Returns how many steps were removed. */
    public Uni<Long> cancel(String alertId) {
        return redis.execute("EVAL", CANCEL, "5", keys.due(), keys.alert(alertId), keys.steps(alertId),
                        keys.closed(alertId), keys.createdEvent(alertId), Long.toString(config.stateTtl().toMillis()))
                .map(Response::toLong);
    }

    /** Due steps for this replica, each hidden from the others for the lease. */
    public Uni<List<String>> claimDue(Instant now, int limit) {
        return redis.execute("EVAL", CLAIM, "1", keys.due(), Long.toString(now.toEpochMilli()),
                        Long.toString(now.plus(config.lease()).toEpochMilli()), Integer.toString(limit))
                .map(response -> {
                    List<String> members = new ArrayList<>();
                    if (response != null) {
                        for (Response member : response) {
                            members.add(member.toString());
                        }
                    }
                    return members;
                });
    }

    /** The step ran to the end: forget it. */
    public Uni<Void> complete(String alertId, String member) {
        return redis.execute("ZREM", keys.due(), member)
                .chain(() -> redis.execute("SREM", keys.steps(alertId), member))
                .replaceWithVoid();
    }

    /** The step is not finished (deliveries held elsewhere, or it failed): look at it again later, if still planned. */
    public Uni<Void> later(String member, Duration delay) {
        return redis.execute("ZADD", keys.due(), "XX",
                Long.toString(Instant.now().plus(delay).toEpochMilli()), member).replaceWithVoid();
    }

    /** The stored alert JSON, or null when its state expired. */
    public Uni<String> alertJson(String alertId) {
        return redis.execute("GET", keys.alert(alertId)).map(r -> r == null ? null : r.toString());
    }

    /** The alert's {@code created} event as read from the relay stream, or null when it is no longer kept. */
    public Uni<String> createdEvent(String alertId) {
        return redis.execute("GET", keys.createdEvent(alertId)).map(r -> r == null ? null : r.toString());
    }

    /** The first step is done: the {@code created} event is not needed any more. */
    public Uni<Void> forgetCreatedEvent(String alertId) {
        return redis.execute("DEL", keys.createdEvent(alertId)).replaceWithVoid();
    }

    public Uni<Boolean> isClosed(String alertId) {
        return redis.execute("EXISTS", keys.closed(alertId)).map(r -> r != null && r.toLong() == 1L);
    }

    /** How many steps are pending over all alerts (gauge). */
    public Uni<Long> pending() {
        return redis.execute("ZCARD", keys.due()).map(r -> r == null ? 0L : r.toLong());
    }
}
