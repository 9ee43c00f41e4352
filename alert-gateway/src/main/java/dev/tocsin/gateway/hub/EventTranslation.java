package dev.tocsin.gateway.hub;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.message.Cursor;
import dev.tocsin.protocol.message.MessageTypes;
import dev.tocsin.protocol.message.ServerMessage;
import dev.tocsin.protocol.message.ServerMessage.UpdateStatus;

/**
 * Which frame an event becomes: {@code created} → {@code alert}; {@code updated} → {@code alert_ack} when the write
 * was an acknowledgment, {@code alert_update} ({@code cleared}, {@code expired}, {@code resolved} or {@code updated},
 * the latter also for an edit, an assignment or an un-acknowledgment, with the whole new alert) otherwise, and
 * {@code alert_note} when the write added a note (the event carries it); a retraction and
 * {@code deleted} → {@code alert_update} {@code deleted} with the id only. The alert's {@code lastChange} (stored by
 * alert-ingest) says what an update did, unless the event is {@code stateOnly} (a later write hides it): then it is
 * {@code alert_update} {@code updated} with the whole alert, so nothing the hidden write changed is lost.
 */
public final class EventTranslation {

    private EventTranslation() {
    }

    /**
     * One event as a frame.
     *
     * @param newAlert whether it is a new alert (subscriptions, filters and batching apply) or a change of one (sent
     *                 to every connection the audience allows)
     * @param message  the frame
     * @param type     its wire type
     * @param priority the alert's priority, null when the event carries no alert
     */
    public record Frame(boolean newAlert, ServerMessage message, String type, Priority priority) {
    }

    public static Frame translate(AlertEvent event) {
        Alert alert = event.alert();
        Priority priority = alert == null ? null : alert.priority();
        switch (event.op()) {
            case CREATED:
                return new Frame(true, new ServerMessage.AlertMessage(event.epoch(), event.seq(), event.op(),
                        event.alertId(), alert.version(), alert, null), MessageTypes.ALERT, priority);
            case DELETED:
                return update(event, UpdateStatus.DELETED, null, priority);
            default:
                AlertChange change = alert.lastChange();
                if (event.stateOnly()) {
                    return update(event, UpdateStatus.UPDATED, alert, priority);
                }
                if (change == AlertChange.ACKNOWLEDGED) {
                    return new Frame(false, new ServerMessage.AlertAck(event.epoch(), event.seq(),
                            event.alertId(), alert.acknowledgedBy(), alert.acknowledgedAt(), alert.version(), null), MessageTypes.ALERT_ACK, priority);
                }
                if (change == AlertChange.CLEARED) {
                    return update(event, UpdateStatus.CLEARED, alert, priority);
                }
                if (change == AlertChange.EXPIRED) {
                    return update(event, UpdateStatus.EXPIRED, alert, priority);
                }
                if (change == AlertChange.RESOLVED) {
                    return update(event, UpdateStatus.RESOLVED, alert, priority);
                }
                if (change == AlertChange.NOTED && event.note() != null) {
                    // Routed like any change (the alert's audience); the frame carries the note, not the alert.
                    return new Frame(false, new ServerMessage.AlertNoteAdded(event.epoch(), event.seq(),
                            event.alertId(), event.note(), alert.noteCount(), null), MessageTypes.ALERT_NOTE,
                            priority);
                }
                if (change == AlertChange.RETRACTED) {
                    // Sent by mistake: clients drop it as if deleted. Routed by the event's alert (its audience),
                    // but the frame carries the id only, like a delete.
                    return update(event, UpdateStatus.DELETED, null, priority);
                }
                return update(event, UpdateStatus.UPDATED, alert, priority);
        }
    }

    /**
     * The priority lane the event's live frame is written in (see {@code Cursor}): a new alert's priority (medium
     * when it has none, as the fan-out batches it), a change's alert priority, critical for a change without one.
     */
    public static Priority lane(AlertEvent event) {
        Alert alert = event.alert();
        if (event.op() == ChangeOp.CREATED && alert != null) {
            return alert.priority() == null ? Priority.MEDIUM : alert.priority();
        }
        return Cursor.laneOf(alert == null ? null : alert.priority());
    }

    private static Frame update(AlertEvent event, UpdateStatus status, Alert alert, Priority priority) {
        return new Frame(false, new ServerMessage.AlertUpdate(event.epoch(), event.seq(), event.alertId(), status,
                alert == null ? null : alert.version(), alert, null), MessageTypes.ALERT_UPDATE, priority);
    }
}
