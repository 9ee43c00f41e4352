package dev.tocsin.protocol.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.filter.AlertFilter;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Messages the gateway sends to a WebSocket client. Every frame is a JSON object with {@code "type"} and
 * {@code "v"} (the protocol version). See {@code docs/protocol.md}.
 *
 * <p>{@code cursor} (protocol v1.1): on the frames that carry it, what this connection was written up to this frame,
 * in the frame's {@code epoch} (see {@link Cursor}). It differs per connection, so the gateway encodes the frame once
 * without it (null fields are left out) and appends it for each connection as the frame is written; a client resumes
 * with {@code sync {since: cursor, epoch}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerMessage.ConnectionEstablished.class, name = "connection_established"),
        @JsonSubTypes.Type(value = ServerMessage.AlertMessage.class, name = "alert"),
        @JsonSubTypes.Type(value = ServerMessage.AlertBatch.class, name = "alert_batch"),
        @JsonSubTypes.Type(value = ServerMessage.AlertUpdate.class, name = "alert_update"),
        @JsonSubTypes.Type(value = ServerMessage.AlertAck.class, name = "alert_ack"),
        @JsonSubTypes.Type(value = ServerMessage.AlertNoteAdded.class, name = "alert_note"),
        @JsonSubTypes.Type(value = ServerMessage.SubscriptionResponse.class, name = "subscription_response"),
        @JsonSubTypes.Type(value = ServerMessage.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = ServerMessage.Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = ServerMessage.RateLimitWarning.class, name = "rate_limit_warning"),
        @JsonSubTypes.Type(value = ServerMessage.ConnectionStats.class, name = "connection_stats"),
        @JsonSubTypes.Type(value = ServerMessage.Gap.class, name = "gap"),
        @JsonSubTypes.Type(value = ServerMessage.Error.class, name = "error"),
        @JsonSubTypes.Type(value = ServerMessage.SyncResponse.class, name = "sync_response"),
        @JsonSubTypes.Type(value = ServerMessage.Inbox.class, name = "inbox"),
        @JsonSubTypes.Type(value = ServerMessage.AckResult.class, name = "ack_result"),
        @JsonSubTypes.Type(value = ServerMessage.ClearResult.class, name = "clear_result"),
        @JsonSubTypes.Type(value = ServerMessage.ActionResult.class, name = "action_result"),
        @JsonSubTypes.Type(value = ServerMessage.NoteResult.class, name = "note_result"),
})
@JsonPropertyOrder({"type", "v"})
public sealed interface ServerMessage {

    int VERSION = 1;

    @JsonProperty("v")
    default int v() {
        return VERSION;
    }

    /**
     * First frame on every connection.
     *
     * @param heartbeatIntervalMs how often the server pings; a client that hears nothing for two intervals
     *                            should reconnect
     * @param limits              limits in force for this connection (for example {@code maxFrameBytes})
     * @param epoch               the epoch of the gateway's event position (null before the first event)
     * @param seq                 the last sequence number the gateway delivered: every later event reaches this
     *                            connection live, so a fresh client starts here
     * @param cursor              where this connection resumes from (see the interface's comment); equals {@code seq}
     */
    record ConnectionEstablished(String connectionId, String user, Instant serverTime, long heartbeatIntervalMs,
                                 Map<String, Object> limits, String epoch, Long seq, Cursor cursor)
            implements ServerMessage {

        /** Without a position (protocol v1 before {@code sync}). */
        public ConnectionEstablished(String connectionId, String user, Instant serverTime, long heartbeatIntervalMs,
                Map<String, Object> limits) {
            this(connectionId, user, serverTime, heartbeatIntervalMs, limits, null, null, null);
        }
    }

    /**
     * One new alert the client is entitled to, with its position in the event sequence and its {@code version} (the
     * same as {@code alert.version}, at the top for clients that merge frames by version).
     */
    record AlertMessage(String epoch, long seq, ChangeOp op, String alertId, long version, Alert alert, Cursor cursor)
            implements ServerMessage {
    }

    /** Alerts gathered within the batch window (or a burst of critical ones), in sequence order. */
    record AlertBatch(String epoch, List<BatchedAlert> alerts, Cursor cursor) implements ServerMessage {
    }

    /** An entry of {@code alert_batch}: an {@code alert} frame without {@code type}, {@code v} and {@code cursor}. */
    record BatchedAlert(String epoch, long seq, ChangeOp op, String alertId, long version, Alert alert) {
    }

    /**
     * An alert the client may hold changed: edited or unacknowledged ({@code updated}), cleared, expired, resolved or
     * deleted/retracted ({@code deleted}: {@code alert} absent then, and {@code version} too: a delete is final).
     */
    record AlertUpdate(String epoch, long seq, String alertId, UpdateStatus status, Long version, Alert alert,
                       Cursor cursor) implements ServerMessage {
    }

    /** What {@code alert_update} reports. */
    enum UpdateStatus {
        UPDATED,
        CLEARED,
        EXPIRED,
        /** The problem is over; the client drops the alert from its active view (like cleared). */
        RESOLVED,
        /** Deleted from the store or retracted: the client drops the alert. */
        DELETED
    }

    /** Someone acknowledged an alert this connection sees; {@code epoch}/{@code seq} is the event's position. */
    record AlertAck(String epoch, long seq, String alertId, String acknowledgedBy, Instant acknowledgedAt, long version,
                    Cursor cursor) implements ServerMessage {
    }

    /**
     * Someone added a note to an alert this connection sees (the same audience rule as {@code alert_update});
     * {@code epoch}/{@code seq} is the event's position.
     *
     * @param noteCount the alert's note count as stored when the event was published (at least this note's number):
     *                  a client that knows fewer notes than {@code noteCount - 1} reads the rest over REST
     */
    record AlertNoteAdded(String epoch, long seq, String alertId, AlertNote note, int noteCount, Cursor cursor)
            implements ServerMessage {
    }

    /**
     * Answer to {@code ack}, besides the {@code alert_ack} broadcast.
     *
     * @param already true when the alert had been acknowledged before this request (by anyone); the stored
     *                acknowledgment is reported either way
     * @param version the alert's version after the request
     */
    record AckResult(String ref, String alertId, String acknowledgedBy, Instant acknowledgedAt, boolean already,
                     long version) implements ServerMessage {
    }

    /**
     * Answer to {@code resolve}, {@code unack} and {@code assign}: the alert as stored after the request (an action
     * that had happened already changes nothing and answers the same way). The change itself reaches every
     * connection that sees the alert as {@code alert_update}, the requester's included.
     *
     * @param action  the request's type
     * @param version the alert's version after the request
     */
    record ActionResult(String ref, String action, String alertId, long version, Alert alert)
            implements ServerMessage {
    }

    /** Answer to {@code note}: the note as stored; every connection that sees the alert also gets {@code alert_note}. */
    record NoteResult(String ref, String alertId, AlertNote note) implements ServerMessage {
    }

    /** Answer to {@code clear}: how many alerts the request cleared (0 when none matched). */
    record ClearResult(String ref, long cleared) implements ServerMessage {
    }

    /** The subscription in force after {@code subscribe}, {@code unsubscribe} or {@code update_filters}. */
    record SubscriptionResponse(String ref, List<String> groups, AlertFilter filters) implements ServerMessage {
    }

    /**
     * Server heartbeat, for clients that cannot see WebSocket ping frames (browsers): it needs no answer. It carries
     * the connection's cursor, so an idle client's resume position keeps up with events meant for others.
     */
    record Ping(Instant serverTime, String epoch, Cursor cursor) implements ServerMessage {

        public Ping(Instant serverTime) {
            this(serverTime, null, null);
        }
    }

    /** Answer to a client {@code ping}; {@code ref} echoes the request's id. */
    record Pong(String ref, Instant serverTime) implements ServerMessage {
    }

    /**
     * A client message was refused by the rate limit.
     *
     * @param limit        messages allowed per minute
     * @param retryAfterMs when the next message will be accepted
     * @param violations   refusals within the last minute; a ban follows at the configured number
     */
    record RateLimitWarning(String ref, int limit, long retryAfterMs, int violations) implements ServerMessage {
    }

    /** The connection's own counters, answer to {@code get_stats}. */
    record ConnectionStats(String ref, long received, long sent, long dropped, Latency latencyMs,
                           Instant connectedAt) implements ServerMessage {
    }

    /** Delivery latency (alert created → written to this socket) in milliseconds. */
    record Latency(double avg, double max, long samples) {
    }

    /**
     * The server dropped frames for this connection (its outbound queue overflowed): the client should resync.
     *
     * @param fromSeq first sequence number dropped
     * @param toSeq   last sequence number dropped
     * @param dropped how many frames were dropped
     * @param reason  why, for example {@code slow_consumer}
     * @param epoch   the epoch of the cursor
     * @param cursor  the connection's cursor: {@code sync {since: cursor, epoch}} replays what was dropped
     */
    record Gap(long fromSeq, long toSeq, long dropped, String reason, String epoch, Cursor cursor)
            implements ServerMessage {

        public Gap(long fromSeq, long toSeq, long dropped, String reason) {
            this(fromSeq, toSeq, dropped, reason, null, null);
        }
    }

    /**
     * A request could not be served. The connection stays open.
     *
     * @param code    stable, machine-readable (see {@link ErrorCode})
     * @param message for humans; never a stack trace
     * @param ref     the id of the offending request, when it had one
     */
    record Error(ErrorCode code, String message, String ref) implements ServerMessage {
    }

    /**
     * Answer to {@code sync}, sent after the replayed frames and before any newer live frame.
     *
     * @param recovered true: every missed event the client is entitled to was replayed ({@code fromSeq..toSeq},
     *                  {@code count} frames); false: it could not be, {@code reason} says why, and the client must
     *                  reload over REST ({@code GET /api/v1/alerts?since=}) and continue from {@code epoch}/{@code seq}
     * @param reason    when not recovered: {@code history_trimmed}, {@code epoch_changed}, {@code too_many_events}
     * @param seq       when not recovered: the gateway's current position, from which live frames continue
     * @param cursor    the connection's cursor after the replay (not recovered: {@code seq})
     */
    record SyncResponse(String ref, boolean recovered, String epoch, Long fromSeq, Long toSeq, Integer count,
                        String reason, Long seq, Cursor cursor) implements ServerMessage {

        public static SyncResponse recovered(String ref, String epoch, long fromSeq, long toSeq, int count) {
            return new SyncResponse(ref, true, epoch, fromSeq, toSeq, count, null, null, null);
        }

        public static SyncResponse notRecovered(String ref, String reason, String epoch, long seq) {
            return new SyncResponse(ref, false, epoch, null, null, null, reason, seq, null);
        }
    }

    /**
     * Alerts kept for the user while they were offline were delivered (before any live frame); sent when some had
     * to be dropped from the bounded inbox.
     *
     * @param delivered frames delivered from the inbox
     * @param dropped   alerts that did not fit in the inbox and are lost for this path (reload over REST)
     */
    record Inbox(long delivered, long dropped) implements ServerMessage {
    }
}
