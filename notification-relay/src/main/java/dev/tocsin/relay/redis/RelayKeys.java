package dev.tocsin.relay.redis;

import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.relay.config.RelayConfig;
import jakarta.inject.Singleton;

/**
 * The Redis keys of the relay, below the shared prefix. The shared ones (stream, dead letters, commands, presence)
 * come from {@link RedisKeys}; the relay's own state lives below {@code <prefix>relay:}.
 *
 * <p>Scripts touch several of these keys at once, so they must live on one Redis node (no Redis Cluster). The keys
 * know nothing of steps or channels: callers pass the names that go into them.
 */
@Singleton
public class RelayKeys {

    private final RedisKeys shared;
    private final String own;
    private final String inbox;

    public RelayKeys(RelayConfig config) {
        this.shared = new RedisKeys(config.keyPrefix());
        this.own = config.keyPrefix() + "relay:";
        this.inbox = config.keyPrefix() + "inbox:";
    }

    public RedisKeys shared() {
        return shared;
    }

    /** Sorted set: pending steps ({@code <alertId>|<index>|<step>}), score = due time in epoch ms. */
    public String due() {
        return own + "due";
    }

    /** String: the alert as the relay last saw it (JSON), kept for its pending steps. */
    public String alert(String alertId) {
        return own + "alert:" + alertId;
    }

    /**
     * String: the {@code created} event of the alert exactly as read from the relay stream, kept until the first
     * delivery step has written it to the offline inboxes.
     */
    public String createdEvent(String alertId) {
        return own + "alert:" + alertId + ":event";
    }

    /** Set: the members of {@link #due()} that belong to the alert, so one script can cancel them all. */
    public String steps(String alertId) {
        return own + "alert:" + alertId + ":steps";
    }

    /**
     * String: {@code ack} once the alert was acknowledged (an un-acknowledgment reopens it), {@code final} once it was
     * cleared, expired, resolved, retracted or deleted; nothing more is sent but a follow-up.
     */
    public String closed(String alertId) {
        return own + "alert:" + alertId + ":closed";
    }

    /**
     * Hash: how the alert's plan was last decided: {@code version} (the alert version of the event that last changed
     * it; older or repeated events change nothing), {@code escalating} (1 while its escalation steps are planned) and
     * {@code round} (how often escalation was started; steps of round 2 on carry {@code @<round>} in their name).
     */
    public String plan(String alertId) {
        return own + "alert:" + alertId + ":plan";
    }

    /**
     * Set: who was actually pushed the alert, members {@code <user>|<channel>|<address digest or empty>}; read for
     * the follow-up push when the alert is resolved or retracted.
     */
    public String pushed(String alertId) {
        return own + "alert:" + alertId + ":pushed";
    }

    /** String: the follow-up of this outcome ({@code resolved}, {@code retracted}) was planned (exactly once). */
    public String followUp(String alertId, String outcome) {
        return own + "alert:" + alertId + ":follow-up:" + outcome;
    }

    /** String: the assignment push of this alert version was planned (exactly once). */
    public String assignment(String alertId, long version) {
        return own + "alert:" + alertId + ":assigned:" + version;
    }

    /** Set: the users whose offline inbox received the alert (so a retraction can withdraw it). */
    public String inboxUsers(String alertId) {
        return own + "alert:" + alertId + ":inboxes";
    }

    /**
     * Set: the inbox entries written for the alert (usually one, the same for every user), so they can be found and
     * withdrawn.
     */
    public String inboxEntries(String alertId) {
        return own + "alert:" + alertId + ":inbox-entries";
    }

    /** String: present once the alert was withdrawn from the inboxes; no inbox entry is written for it after. */
    public String inboxWithdrawn(String alertId) {
        return own + "alert:" + alertId + ":withdrawn";
    }

    /** String: the alert version the offline inbox entries of the alert show (a refresh applies only newer ones). */
    public String inboxVersion(String alertId) {
        return own + "alert:" + alertId + ":inbox-version";
    }

    /** String: claim ({@code claimed:<owner>}) and then result ({@code done:<outcome>}) of one delivery. */
    public String delivery(String alertId, String step, String user, String channel, String address) {
        return own + "sent:" + alertId + ":" + step + ":" + user + ":" + channel + (address == null ? "" : ":" + address);
    }

    /**
     * List: the offline inbox of a user, read by the gateway. Entries are {@code c|<AlertEvent JSON>} (critical) or
     * {@code n|<AlertEvent JSON>} (any other priority), oldest first (RPUSH). Shared with the gateway: the name must
     * not change.
     */
    public String inbox(String user) {
        return inbox + user;
    }

    /** String counter: inbox entries of the user dropped for want of space since the inbox was last collected. */
    public String inboxDropped(String user) {
        return inbox + user + ":dropped";
    }

    /**
     * String: set once the step wrote the alert to the user's inbox (the exactly-once guard, a {@link #delivery} key
     * on the channel {@code inbox}).
     */
    public String inboxMarker(String alertId, String step, String user) {
        return delivery(alertId, step, user, "inbox", null);
    }
}
