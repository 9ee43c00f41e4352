package dev.tocsin.protocol.quarkus;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertNote;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.command.IngestCommand;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.event.RedisKeys;
import dev.tocsin.protocol.filter.AlertFilter;
import dev.tocsin.protocol.filter.Area;
import dev.tocsin.protocol.message.ClientMessage;
import dev.tocsin.protocol.message.CloseCode;
import dev.tocsin.protocol.message.Cursor;
import dev.tocsin.protocol.message.ErrorCode;
import dev.tocsin.protocol.message.ServerMessage;
import dev.tocsin.protocol.pacing.Backoff;
import dev.tocsin.protocol.user.ContactChannels;
import dev.tocsin.protocol.user.QuietHours;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers alert-protocol's types for reflection in a native image. They are serialized by
 * {@code dev.tocsin.protocol.json.Json}'s own ObjectMapper (Redis events, WebSocket frames, commands), which
 * Quarkus cannot see at build time, so without this list a native executable would fail at run time (records
 * without accessors or canonical constructors, sealed families without their subtypes, enums without constants).
 * The JVM build does not need it and ignores it.
 * <p>
 * Every record (nested ones included), enum, sealed message family and class with Jackson annotations of
 * {@code dev.tocsin.protocol} is listed,
 * not only those this service happens to use today: an {@link Alert} carries most of them, and one list is easier
 * to keep right than three different ones. {@code ProtocolReflectionTest} fails when alert-protocol gains a type
 * that is missing here. {@link RedisKeys} is a record but never JSON; it is listed so that the rule stays simple.
 */
@RegisterForReflection(targets = {
        // alert
        Alert.class,
        AlertChange.class,
        AlertNote.class,
        Assignee.class,
        Assignee.Kind.class,
        AlertStatus.class,
        Audience.class,
        Location.class,
        Priority.class,
        // command (sealed, Jackson type id "type")
        IngestCommand.class,
        IngestCommand.RecordDelivery.class,
        IngestCommand.RecordDeliveries.class,
        IngestCommand.RemoveFcmToken.class,
        // delivery
        DeliveryChannel.class,
        DeliveryOutcome.class,
        DeliveryRecord.class,
        // event
        AlertEvent.class,
        ChangeOp.class,
        RedisKeys.class,
        // filter
        AlertFilter.class,
        Area.class,
        Area.BoundingBox.class,
        Area.Circle.class,
        // message: client family (sealed)
        ClientMessage.class,
        ClientMessage.Ack.class,
        ClientMessage.Assign.class,
        ClientMessage.Note.class,
        ClientMessage.Resolve.class,
        ClientMessage.Unack.class,
        ClientMessage.Clear.class,
        ClientMessage.GetStats.class,
        ClientMessage.Ping.class,
        ClientMessage.Pong.class,
        ClientMessage.Subscribe.class,
        ClientMessage.Sync.class,
        ClientMessage.Unsubscribe.class,
        ClientMessage.UpdateFilters.class,
        // message: server family (sealed) and its nested values
        ServerMessage.class,
        ServerMessage.AckResult.class,
        ServerMessage.ActionResult.class,
        ServerMessage.NoteResult.class,
        ServerMessage.AlertAck.class,
        ServerMessage.AlertBatch.class,
        ServerMessage.AlertMessage.class,
        ServerMessage.AlertNoteAdded.class,
        ServerMessage.AlertUpdate.class,
        ServerMessage.BatchedAlert.class,
        ServerMessage.ClearResult.class,
        ServerMessage.ConnectionEstablished.class,
        ServerMessage.ConnectionStats.class,
        ServerMessage.Error.class,
        ServerMessage.Gap.class,
        ServerMessage.Inbox.class,
        ServerMessage.Latency.class,
        ServerMessage.Ping.class,
        ServerMessage.Pong.class,
        ServerMessage.RateLimitWarning.class,
        ServerMessage.SubscriptionResponse.class,
        ServerMessage.SyncResponse.class,
        ServerMessage.UpdateStatus.class,
        CloseCode.class,
        // a class, not a record: Jackson reaches its @JsonCreator factories and @JsonValue by reflection (the
        // gateway encodes it into frames; found by the gateway's NativeReflectionTest)
        Cursor.class,
        ErrorCode.class,
        // pacing (never JSON; listed so that the rule stays simple)
        Backoff.class,
        // user
        ContactChannels.class,
        QuietHours.class,
})
public final class ProtocolReflection {

    private ProtocolReflection() {
    }
}
