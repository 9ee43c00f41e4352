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
            for i = 6, #ARGV, 2 do
              redis.call('ZADD', KEYS[1], 'NX', ARGV[i + 1], ARGV[i])
              redis.call('SADD', KEYS[3], ARGV[i])
            end
            redis.call('PEXPIRE', KEYS[3], ARGV[2])
            redis.call('HSET', KEYS[6], 'version', ARGV[4], 'escalating', ARGV[5], 'round', ARGV[5])
            redis.call('PEXPIRE', KEYS[6], ARGV[2])
            return 1
            """;

    /**
     * KEYS: due, steps, closed, plan, created event. ARGV: state TTL ms, closed value ({@code ack} or {@code final}), version.
     * A version at or below the plan's is an old or repeated event: nothing changes (-1). A final closure is never
     * turned back into an acknowledgment.
     */
    private static final String CANCEL = """
            local v = tonumber(ARGV[3])
            if v > 0 and tonumber(redis.call('HGET', KEYS[4], 'version') or '0') >= v then return -1 end
            if redis.call('GET', KEYS[3]) ~= 'final' then redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[1]) end
            local members = redis.call('SMEMBERS', KEYS[2])
            for _, m in ipairs(members) do redis.call('ZREM', KEYS[1], m) end
            redis.call('DEL', KEYS[2], KEYS[5])
            if v > 0 then
              redis.call('HSET', KEYS[4], 'version', ARGV[3], 'escalating', '0')
              redis.call('PEXPIRE', KEYS[4], ARGV[1])
            end
            return #members
            """;

    /**
     * Re-decides the escalation of an open alert after a change (edit, un-acknowledgment). KEYS: due, alert, steps,
     * closed, plan. ARGV: alert JSON, TTL ms, version, escalate (1/0), base ms, alert id, then (index, name, delay
     * ms) per escalation step. Returns -3 for an alert the relay has no state of (its created
     * event not handled yet, or expired), -2 for an old or repeated event, -1 closed for good, 1 escalation started,
     * 2 escalation stopped, 0 nothing to change.
     */
    private static final String REPLAN = """
            local v = tonumber(ARGV[3])
            if v > 0 and tonumber(redis.call('HGET', KEYS[5], 'version') or '0') >= v then return -2 end
            if redis.call('EXISTS', KEYS[2]) == 0 then return -3 end
            local closed = redis.call('GET', KEYS[4])
            if closed and closed ~= 'ack' then return -1 end
            redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
            redis.call('HSET', KEYS[5], 'version', ARGV[3])
            local escalating = redis.call('HGET', KEYS[5], 'escalating')
            if closed then
              redis.call('DEL', KEYS[4])
              escalating = '0'
            elseif not escalating then
              escalating = '0'
              for _, m in ipairs(redis.call('SMEMBERS', KEYS[3])) do
                if string.sub(m, -10) ~= '|0|offline' then escalating = '1' break end
              end
            end
            local result = 0
            if ARGV[4] == '1' and escalating == '0' and #ARGV > 6 then
              local round = redis.call('HINCRBY', KEYS[5], 'round', 1)
              for i = 7, #ARGV, 3 do
                local name = ARGV[i + 1]
                if round > 1 then name = name .. '@' .. round end
                local m = ARGV[6] .. '|' .. ARGV[i] .. '|' .. name
                redis.call('ZADD', KEYS[1], 'NX', tonumber(ARGV[5]) + tonumber(ARGV[i + 2]), m)
                redis.call('SADD', KEYS[3], m)
              end
              escalating = '1'
              result = 1
            elseif ARGV[4] == '0' and escalating == '1' then
              for _, m in ipairs(redis.call('SMEMBERS', KEYS[3])) do
                if string.sub(m, -10) ~= '|0|offline' then
                  redis.call('ZREM', KEYS[1], m)
                  redis.call('SREM', KEYS[3], m)
                end
              end
              escalating = '0'
              result = 2
            end
            redis.call('HSET', KEYS[5], 'escalating', escalating)
            redis.call('PEXPIRE', KEYS[5], ARGV[2])
            redis.call('PEXPIRE', KEYS[3], ARGV[2])
            return result
            """;

    /**
     * Plans a one-off step (a follow-up, an assignment push) once, guarded by its own key. KEYS: due, alert, guard.
     * ARGV: alert JSON, TTL ms, member, due ms. Returns 1 planned, 0 planned before.
     */
    private static final String PLAN_ONCE = """
            if not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[2]) then return 0 end
            redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
            redis.call('ZADD', KEYS[1], 'NX', ARGV[4], ARGV[3])
            return 1
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
     * @param version      the alert's version (the plan ignores older events)
     * @return 1 scheduled, 0 already scheduled, -1 already closed
     */
    public Uni<Long> schedule(String alertId, String alertJson, String createdEvent, Instant base, List<Step> steps,
                              long version) {
        long ttl = ttl(steps);
        List<String> args = new ArrayList<>();
        args.add(SCHEDULE);
        args.add("6");
        args.add(keys.due());
        args.add(keys.alert(alertId));
        args.add(keys.steps(alertId));
        args.add(keys.closed(alertId));
        args.add(keys.createdEvent(alertId));
        args.add(keys.plan(alertId));
        args.add(alertJson);
        args.add(Long.toString(ttl));
        args.add(createdEvent == null ? "" : createdEvent);
        args.add(Long.toString(version));
        args.add(steps.stream().anyMatch(Step::isEscalation) ? "1" : "0");
        for (Step step : steps) {
            args.add(step.member(alertId));
            args.add(Long.toString(base.plus(step.delay()).toEpochMilli()));
        }
        return redis.execute("EVAL", args.toArray(String[]::new)).map(Response::toLong);
    }

    /**
     * Re-decides an open alert's escalation after an edit or un-acknowledgment (see {@link #REPLAN}): starts the
     * escalation steps, counted from {@code base}, when {@code steps} has some and none are planned (a new round when
     * they ran before); removes the pending ones when {@code steps} has none. Reopens an acknowledged alert. Events
     * at or below the plan's version change nothing, so a redelivered event is harmless.
     *
     * @param steps the plan of the alert's current priority (the first step is ignored: it ran at creation)
     * @return 1 escalation started, 2 stopped, 0 unchanged, -1 closed for good, -2 old or repeated event, -3 unknown
     *         alert (nothing stored: its created event comes later, or its state expired)
     */
    public Uni<Long> replan(String alertId, String alertJson, long version, Instant base, List<Step> steps) {
        List<Step> escalation = steps.stream().filter(Step::isEscalation).toList();
        List<String> args = new ArrayList<>(List.of(REPLAN, "5", keys.due(), keys.alert(alertId),
                keys.steps(alertId), keys.closed(alertId), keys.plan(alertId), alertJson, Long.toString(ttl(steps)),
                Long.toString(version), escalation.isEmpty() ? "0" : "1", Long.toString(base.toEpochMilli()),
                alertId));
        for (Step step : escalation) {
            args.add(Integer.toString(step.index()));
            args.add(step.name());
            args.add(Long.toString(step.delay().toMillis()));
        }
        return redis.execute("EVAL", args.toArray(String[]::new)).map(Response::toLong);
    }

    /**
     * Closes the alert: no further step runs and no further delivery is sent. An acknowledgment ({@code final}
     * false) can be undone by {@link #replan}; a resolution, retraction, clear, expiry or delete cannot. Returns how
     * many steps were removed, or -1 when the event is older than the plan (nothing changed).
     *
     * @param version the alert version of the event, 0 when unknown (a delete): then it always applies
     */
    public Uni<Long> cancel(String alertId, boolean finalClose, long version) {
        return redis.execute("EVAL", CANCEL, "5", keys.due(), keys.steps(alertId), keys.closed(alertId),
                        keys.plan(alertId), keys.createdEvent(alertId), Long.toString(config.stateTtl().toMillis()),
                        finalClose ? "final" : "ack", Long.toString(version))
                .map(Response::toLong);
    }

    /**
     * Plans the alert's follow-up step ({@link Step#followUp}) once per outcome, due after {@code delay}, and keeps
     * the closed alert's text for it. Returns whether this call planned it.
     */
    public Uni<Boolean> planFollowUp(String alertId, String alertJson, Step followUp, Duration delay) {
        return planOnce(alertId, alertJson,
                keys.followUp(alertId, followUp.name().substring(Step.FOLLOW_UP_PREFIX.length())), followUp, delay);
    }

    /**
     * Plans the push to the assignee of the assignment that made {@code version} ({@link Step#assignment}) once, due
     * now, and keeps the alert's text for it. Returns whether this call planned it.
     */
    public Uni<Boolean> planAssignment(String alertId, String alertJson, long version) {
        return planOnce(alertId, alertJson, keys.assignment(alertId, version), Step.assignment(version), Duration.ZERO);
    }

    private Uni<Boolean> planOnce(String alertId, String alertJson, String guard, Step step, Duration delay) {
        return redis.execute("EVAL", PLAN_ONCE, "3", keys.due(), keys.alert(alertId), guard, alertJson,
                        Long.toString(config.stateTtl().toMillis()), step.member(alertId),
                        Long.toString(Instant.now().plus(delay).toEpochMilli()))
                .map(r -> r != null && r.toLong() == 1L);
    }

    private long ttl(List<Step> steps) {
        long longest = steps.stream().map(Step::delay).max(Duration::compareTo).orElse(Duration.ZERO).toMillis();
        return config.stateTtl().toMillis() + longest;
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
