package dev.tocsin.protocol.message;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.filter.AlertFilter;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Messages a WebSocket client sends. Every request may carry an {@code id}; answers and errors echo it as
 * {@code ref}. See {@code docs/protocol.md}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientMessage.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = ClientMessage.Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = ClientMessage.Subscribe.class, name = "subscribe"),
        @JsonSubTypes.Type(value = ClientMessage.Unsubscribe.class, name = "unsubscribe"),
        @JsonSubTypes.Type(value = ClientMessage.UpdateFilters.class, name = "update_filters"),
        @JsonSubTypes.Type(value = ClientMessage.Ack.class, name = "ack"),
        @JsonSubTypes.Type(value = ClientMessage.Clear.class, name = "clear"),
        @JsonSubTypes.Type(value = ClientMessage.Resolve.class, name = "resolve"),
        @JsonSubTypes.Type(value = ClientMessage.Unack.class, name = "unack"),
        @JsonSubTypes.Type(value = ClientMessage.Assign.class, name = "assign"),
        @JsonSubTypes.Type(value = ClientMessage.Note.class, name = "note"),
        @JsonSubTypes.Type(value = ClientMessage.GetStats.class, name = "get_stats"),
        @JsonSubTypes.Type(value = ClientMessage.Sync.class, name = "sync"),
})
public sealed interface ClientMessage {

    /** The client's request id, echoed as {@code ref}; may be null. */
    String id();

    /** Liveness check; answered by {@code pong}. */
    record Ping(String id) implements ClientMessage {
    }

    /** Answer to a server {@code ping}; needs no answer. */
    record Pong(String id) implements ClientMessage {
    }

    /** Adds groups ({@code everyone}, {@code direct} or one of the token's groups) to the subscription. */
    record Subscribe(String id, List<String> groups) implements ClientMessage {
    }

    /** Removes groups from the subscription. */
    record Unsubscribe(String id, List<String> groups) implements ClientMessage {
    }

    /** Replaces the connection's filters; null clears them. */
    record UpdateFilters(String id, AlertFilter filters) implements ClientMessage {
    }

    /** Acknowledges an alert on behalf of the connection's user. */
    record Ack(String id, String alertId) implements ClientMessage {
    }

    /** Resolves an alert (operators and admins), with an optional note; answered by {@code action_result}. */
    record Resolve(String id, String alertId, String note) implements ClientMessage {
    }

    /** Takes the user's (an admin: anyone's) acknowledgment back; answered by {@code action_result}. */
    record Unack(String id, String alertId) implements ClientMessage {
    }

    /**
     * Assigns an alert to one user or one group (operators and admins): exactly one of {@code user} and
     * {@code group}; neither takes the assignment back. Answered by {@code action_result}.
     */
    record Assign(String id, String alertId, String user, String group) implements ClientMessage {
    }

    /** Adds a note to an alert the user sees; answered by {@code note_result}. */
    record Note(String id, String alertId, String text) implements ClientMessage {
    }

    /**
     * Clears alerts by criteria (operators and admins); at least one criterion, all given ones must match.
     *
     * @param ids the alerts by id (1 to {@link dev.tocsin.protocol.alert.AlertIds#MAX_PER_CLEAR}, each an
     *            {@link dev.tocsin.protocol.alert.AlertIds alert id}; a repeated id counts once); null: any
     */
    record Clear(String id, Set<Priority> priorities, Set<String> types, Instant olderThan, List<String> ids)
            implements ClientMessage {
    }

    /** Asks for the connection's own counters; answered by {@code connection_stats}. */
    record GetStats(String id) implements ClientMessage {
    }

    /**
     * Asks for the events missed since position {@code (epoch, since)}: the gateway replays them from its history,
     * then answers {@code sync_response}, then carries on live, without hole or duplicate.
     *
     * @param since               the last {@code cursor} the client received (a string), or (protocol v1) the last
     *                            sequence number it holds; 0: none
     * @param epoch               the epoch that sequence number belongs to
     * @param lastSyncTimestamp   when the client last was in sync (informational; the REST fallback's {@code since})
     * @param priorities          replay only new alerts ({@code alert} frames) of these priorities; null or empty:
     *                            all. Changes ({@code alert_update}, {@code alert_ack}) are always replayed
     * @param includeAcknowledged whether alerts acknowledged by the end of the replayed range are replayed as new
     *                            {@code alert} frames too (default false); their changes are replayed either way
     * @param maxCount            most events to replay; more than that answers {@code recovered:false}
     */
    record Sync(String id, Cursor since, String epoch, Instant lastSyncTimestamp, Set<Priority> priorities,
                Boolean includeAcknowledged, Integer maxCount) implements ClientMessage {
    }
}
