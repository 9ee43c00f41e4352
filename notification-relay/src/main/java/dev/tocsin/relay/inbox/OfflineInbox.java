package dev.tocsin.relay.inbox;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.escalation.Step;
import dev.tocsin.relay.escalation.StepSchedule;
import dev.tocsin.relay.metrics.RelayMetrics;
import dev.tocsin.relay.redis.RelayKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Writes the offline inbox: when the first delivery step finds a recipient without a live session, the alert's
 * {@code created} event is appended to the Redis list {@code <prefix>inbox:<user>}, which the gateway hands over
 * when the user connects again.
 *
 * <p>Entry format (the contract with the gateway): {@code c|} for a critical alert or {@code n|} for any other
 * priority, followed by the AlertEvent JSON exactly as alert-ingest published it on the relay stream (so
 * {@code epoch} and {@code seq} are the event's real position). The two-character marker lets the capping script
 * tell critical entries apart without parsing JSON. Newest last ({@code RPUSH}).
 *
 * <p>One Lua script does everything at once, so that no crash or second replica can double or lose an entry: the
 * exactly-once guard ({@code SET NX} of {@link RelayKeys#inboxMarker}, kept for {@code schedule.state-ttl} like a
 * delivery's ledger key), the append, the cap ({@code inbox.max-size}: the oldest non-critical entry goes first,
 * the oldest entry when all are critical; each removal counted in {@code <prefix>inbox:<user>:dropped}), and the
 * time to live of list and counter ({@code inbox.ttl}, set again on every append).
 */
@Singleton
public class OfflineInbox {

    /** Prefix of the entry of a critical alert. */
    public static final String CRITICAL = "c|";
    /** Prefix of the entry of an alert of any other priority. */
    public static final String NOT_CRITICAL = "n|";

    /**
     * KEYS: marker, inbox, dropped counter, the alert's inbox users, the alert's inbox entries, the alert's withdrawn
     * flag. ARGV: entry, max size, inbox TTL ms, marker TTL ms.
     * Returns {appended (1), already there or withdrawn (0) or the inbox key holds another type (-2); entries
     * dropped}. Withdrawn entries ({@code x|}) are removed first when the inbox is full, and are not counted as
     * dropped.
     * The victim is looked for in chunks from the head, so the usual case (an old non-critical entry near the
     * head) reads a few entries, not the whole list. LREM with count 1 removes the first occurrence from the head,
     * which is the victim itself: any identical element before it would have been chosen first.
     */
    static final String APPEND = """
            local kind = redis.call('TYPE', KEYS[2])
            if type(kind) == 'table' then kind = kind.ok end
            if kind ~= 'list' and kind ~= 'none' then return {-2, 0} end
            if redis.call('EXISTS', KEYS[6]) == 1 then return {0, 0} end
            if not redis.call('SET', KEYS[1], 'done:inbox', 'NX', 'PX', ARGV[4]) then return {0, 0} end
            redis.call('SADD', KEYS[4], string.sub(KEYS[2], #ARGV[5] + 1))
            redis.call('SADD', KEYS[5], ARGV[1])
            redis.call('PEXPIRE', KEYS[4], ARGV[4])
            redis.call('PEXPIRE', KEYS[5], ARGV[4])
            local len = redis.call('RPUSH', KEYS[2], ARGV[1])
            local max = tonumber(ARGV[2])
            local dropped = 0
            while len > max do
              local victim = nil
              local from = 0
              while victim == nil and from < len do
                local chunk = redis.call('LRANGE', KEYS[2], from, from + 31)
                for _, e in ipairs(chunk) do
                  local p = string.sub(e, 1, 2)
                  if p == 'n|' or p == 'x|' then victim = e break end
                end
                from = from + 32
              end
              if victim then redis.call('LREM', KEYS[2], 1, victim) else redis.call('LPOP', KEYS[2]) end
              if victim == nil or string.sub(victim, 1, 2) ~= 'x|' then dropped = dropped + 1 end
              len = len - 1
            end
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            if dropped > 0 then redis.call('INCRBY', KEYS[3], dropped) end
            redis.call('PEXPIRE', KEYS[3], ARGV[3])
            return {1, dropped}
            """;

    /**
     * Lua shared by {@link #WITHDRAW} and {@link #REFRESH}: in the inbox of every user of the set {@code usersKey}
     * (key {@code prefix .. user}), replaces each of {@code entries} in place ({@code LSET}: the gateway removes what
     * it read by count from the head, so the list must not shift under it) by {@code replacement}; returns how many.
     */
    private static final String REPLACE_ENTRIES = """
            local function replace_entries(usersKey, entries, prefix, replacement)
              local n = 0
              for _, user in ipairs(redis.call('SMEMBERS', usersKey)) do
                local key = prefix .. user
                local kind = redis.call('TYPE', key)
                if type(kind) == 'table' then kind = kind.ok end
                if kind == 'list' then
                  for _, entry in ipairs(entries) do
                    local i = redis.call('LPOS', key, entry)
                    while i do
                      redis.call('LSET', key, i, replacement)
                      n = n + 1
                      i = redis.call('LPOS', key, entry)
                    end
                  end
                end
              end
              return n
            end
            """;

    /**
     * KEYS: the alert's inbox users, the alert's inbox entries, the alert's withdrawn flag. ARGV: inbox key prefix,
     * tombstone, TTL ms of the flag. Replaces every entry of the alert in those users' inboxes by the tombstone
     * (in place, {@code LSET}: the gateway removes what it read by count from the head, so the list must not shift
     * under it) and sets the flag that keeps later appends out. Returns how many entries were replaced; a repeat
     * finds none.
     */
    static final String WITHDRAW = REPLACE_ENTRIES + """
            redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
            local entries = redis.call('SMEMBERS', KEYS[2])
            local n = 0
            if #entries > 0 then
              n = replace_entries(KEYS[1], entries, ARGV[1], ARGV[2])
            end
            redis.call('DEL', KEYS[1], KEYS[2])
            return n
            """;

    /**
     * KEYS: the alert's inbox users, the alert's inbox entries, the alert's withdrawn flag, the alert's kept
     * {@code created} event, the alert's inbox version. ARGV: inbox key prefix, the new entry, the new event (without
     * marker), its alert version, TTL ms. Replaces every entry of the alert in those users' inboxes by the new one
     * (in place, as {@link #WITHDRAW} does), and the kept event a first step that has not run yet will append, unless
     * the alert was withdrawn or a newer version was applied already (replicas consume changes in parallel). Returns
     * how many entries were replaced, -1 when the version was not newer.
     */
    static final String REFRESH = REPLACE_ENTRIES + """
            if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
            local applied = tonumber(redis.call('GET', KEYS[5]) or '0')
            if tonumber(ARGV[4]) <= applied then return -1 end
            redis.call('SET', KEYS[5], ARGV[4], 'PX', ARGV[5])
            if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('SET', KEYS[4], ARGV[3], 'KEEPTTL') end
            local entries = redis.call('SMEMBERS', KEYS[2])
            local n = 0
            if #entries > 0 then
              n = replace_entries(KEYS[1], entries, ARGV[1], ARGV[2])
              local ttl = redis.call('PTTL', KEYS[2])
              redis.call('DEL', KEYS[2])
              redis.call('SADD', KEYS[2], ARGV[2])
              if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
            end
            return n
            """;

    /** Prefix of a withdrawn entry (the gateway skips it; the cap removes it first). */
    public static final String WITHDRAWN = "x|";

    private final ReactiveRedisDataSource redis;
    private final RelayKeys keys;
    private final StepSchedule schedule;
    private final RelayMetrics metrics;
    private final RelayConfig.Inbox config;
    private final String markerTtl;

    public OfflineInbox(ReactiveRedisDataSource redis, RelayKeys keys, StepSchedule schedule, RelayMetrics metrics,
                        RelayConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.schedule = schedule;
        this.metrics = metrics;
        this.config = config.inbox();
        if (this.config.maxSize() < 1) {
            throw new IllegalArgumentException("tocsin.relay.inbox.max-size must be at least 1 (found "
                    + this.config.maxSize() + "); set tocsin.relay.inbox.enabled=false to turn the inbox off");
        }
        if (this.config.ttl().toMillis() < 1) {
            throw new IllegalArgumentException("tocsin.relay.inbox.ttl must be positive");
        }
        this.markerTtl = Long.toString(config.schedule().stateTtl().toMillis());
    }

    public boolean isEnabled() {
        return config.enabled();
    }

    /**
     * The entry for this alert: its marker and the {@code created} event as read from the relay stream. When that
     * event is no longer kept (scheduled by a relay without the inbox, or its key expired) an event is built from
     * the stored alert, without a position ({@code seq} 0, no {@code epoch}) and with the synthetic change id
     * {@code relay:<alertId>}, so that readers which tell events apart by epoch, seq and change id still see two
     * such entries as different.
     */
    public Uni<String> entry(Alert alert) {
        String marker = alert.priority() == Priority.CRITICAL ? CRITICAL : NOT_CRITICAL;
        return schedule.createdEvent(alert.id()).map(event -> marker + (event != null ? event
                : Json.encode(new AlertEvent(null, 0, ChangeOp.CREATED, alert.id(), alert, "relay:" + alert.id(),
                        null))));
    }

    /**
     * Appends the entry to the user's inbox unless this alert was written there before. Completes when Redis has
     * it; fails when Redis fails (the step is then run again, and the guard keeps the entry single).
     *
     * @return whether this call appended it
     */
    public Uni<Boolean> append(String alertId, String user, String entry) {
        return redis.execute("EVAL", APPEND, "6", keys.inboxMarker(alertId, Step.OFFLINE, user), keys.inbox(user),
                        keys.inboxDropped(user), keys.inboxUsers(alertId), keys.inboxEntries(alertId),
                        keys.inboxWithdrawn(alertId), entry, Integer.toString(config.maxSize()),
                        Long.toString(config.ttl().toMillis()), markerTtl, keys.inbox(""))
                .map(result -> {
                    long appended = result.get(0).toLong();
                    long dropped = result.get(1).toLong();
                    if (appended == -2) {
                        // not retried: the key will not change type by itself, and the pushes must still go out
                        Log.warnf("Inbox of user %s not written for alert %s: key %s holds another type",
                                user, alertId, keys.inbox(user));
                        return false;
                    }
                    if (appended == 1) {
                        metrics.inboxAppended();
                        if (dropped > 0) {
                            metrics.inboxDropped(dropped);
                            Log.debugf("Inbox of user %s full: dropped %d entr%s", user, dropped,
                                    dropped == 1 ? "y" : "ies");
                        }
                    }
                    return appended == 1;
                });
    }

    /**
     * Keeps the alert's offline inbox entries current: after a change (edit, acknowledgment, assignment, resolution,
     * ...) each entry becomes the change's event, so a user who connects later gets the alert as it is now, not as it
     * was created. An alert that is over is {@link #withdraw withdrawn} instead. Idempotent and ordered by the alert's
     * version; completes when Redis has done it.
     *
     * @param eventText the change's event as read from the relay stream
     * @return how many inbox entries this call replaced
     */
    public Uni<Long> refresh(Alert alert, String eventText) {
        String entry = (alert.priority() == Priority.CRITICAL ? CRITICAL : NOT_CRITICAL) + eventText;
        return redis.execute("EVAL", REFRESH, "5", keys.inboxUsers(alert.id()), keys.inboxEntries(alert.id()),
                        keys.inboxWithdrawn(alert.id()), keys.createdEvent(alert.id()), keys.inboxVersion(alert.id()),
                        keys.inbox(""), entry, eventText, Long.toString(alert.version()), markerTtl)
                .map(response -> response == null ? 0 : Math.max(0, response.toLong()));
    }

    /**
     * Withdraws the alert from every offline inbox it was written to (cleared, expired, resolved, retracted or
     * deleted), and keeps it out of inboxes from now on. Idempotent; completes when Redis has done it.
     *
     * @return how many inbox entries were withdrawn by this call
     */
    public Uni<Long> withdraw(String alertId) {
        return redis.execute("EVAL", WITHDRAW, "3", keys.inboxUsers(alertId), keys.inboxEntries(alertId),
                        keys.inboxWithdrawn(alertId), keys.inbox(""), WITHDRAWN + alertId, markerTtl)
                .map(response -> {
                    long withdrawn = response == null ? 0 : response.toLong();
                    if (withdrawn > 0) {
                        metrics.inboxWithdrawn(withdrawn);
                    }
                    return withdrawn;
                });
    }
}
