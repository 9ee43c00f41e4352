package dev.tocsin.relay.consume;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.CodecException;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.escalation.EscalationPolicy;
import dev.tocsin.relay.escalation.Step;
import dev.tocsin.relay.escalation.StepSchedule;
import dev.tocsin.relay.inbox.OfflineInbox;
import dev.tocsin.relay.metrics.RelayMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Locale;

/**
 * Turns one relay-stream event into durable work:
 * <ul>
 *   <li>a {@code created} alert gets its delivery plan scheduled (first delivery now, escalations later);</li>
 *   <li>an acknowledgment, clear, expiry, resolution, retraction or delete cancels every pending step of the alert
 *       at once; closing for good (or a delete) also withdraws it from the offline inboxes, and a resolution or
 *       retraction plans the follow-up push;</li>
 *   <li>any change of an open alert refreshes its offline inbox entries; edits and un-acknowledgments re-decide the
 *       escalation from the alert's current priority; an assignment plans one push to the assignee.</li>
 * </ul>
 * Each of these is idempotent, so an event that is delivered twice (stream replay, XAUTOCLAIM) changes nothing the
 * second time. The returned Uni completes when the work is stored in Redis: only then may the entry be acknowledged.
 */
@Singleton
public class EventHandler {

    private final StepSchedule schedule;
    private final EscalationPolicy policy;
    private final RelayMetrics metrics;
    private final OfflineInbox inbox;
    private final RelayConfig.FollowUp followUp;

    public EventHandler(StepSchedule schedule, EscalationPolicy policy, RelayMetrics metrics, OfflineInbox inbox,
                        RelayConfig config) {
        this.followUp = config.followUp();
        this.schedule = schedule;
        this.policy = policy;
        this.metrics = metrics;
        this.inbox = inbox;
    }

    public Uni<Void> handle(String text) {
        AlertEvent event;
        try {
            event = Json.decode(text, AlertEvent.class);
        } catch (CodecException e) {
            return dropped(text, e.field() == null ? e.getMessage() : e.getMessage() + " (field " + e.field() + ")");
        } catch (RuntimeException e) {
            return dropped(text, e.getClass().getSimpleName());
        }
        if (event == null || event.op() == null || event.alertId() == null) {
            return dropped(text, "event without op or alertId");
        }
        metrics.received(event.op());
        String alertId = event.alertId();
        Alert alert = event.alert();
        return switch (event.op()) {
            // a hard delete: nothing is left to tell anyone about, but no inbox may hand the alert over either
            case DELETED -> cancel(alertId, true, 0, "deleted").call(() -> withdraw(alertId));
            case CREATED, UPDATED -> {
                if (alert == null) {
                    yield Uni.createFrom().voidItem();
                }
                String json = Json.encode(alert);
                // an offline user who connects later gets an open alert as it is now (one that is over is withdrawn)
                Uni<Void> inboxKeptCurrent = event.op() == ChangeOp.UPDATED && inbox.isEnabled()
                        && alert.effectiveStatus() == AlertStatus.ACTIVE
                        ? inbox.refresh(alert, text).replaceWithVoid() : Uni.createFrom().voidItem();
                if (isClosed(alert)) {
                    yield inboxKeptCurrent.call(() -> closed(alert, json));
                }
                yield event.op() == ChangeOp.CREATED
                        // the created event is kept verbatim: the offline inboxes carry its real (epoch, seq)
                        ? schedule.schedule(alertId, json, inbox.isEnabled() ? text : null, base(alert),
                                        policy.plan(alert.priority()), alert.version())
                                .invoke(result -> Log.debugf("alert %s: plan %s", alertId,
                                        result == 1 ? "scheduled" : result == 0 ? "already scheduled" : "closed"))
                                .replaceWithVoid()
                        : inboxKeptCurrent.call(() -> replan(alert, json)).call(() -> assigned(alert, json));
            }
        };
    }

    /**
     * Acknowledged (reopened by an un-acknowledgment), or closed for good. Closing for good also withdraws the alert
     * from the offline inboxes; a resolution or retraction plans the one follow-up push to those who were pushed.
     * Each part is idempotent on its own, so all run again on a redelivered event.
     */
    private Uni<Void> closed(Alert alert, String json) {
        AlertStatus status = alert.effectiveStatus();
        boolean acknowledgment = status == AlertStatus.ACTIVE;
        Uni<Void> done = cancel(alert.id(), !acknowledgment, alert.version(),
                acknowledgment ? "acknowledged" : status.name());
        if (!acknowledgment) {
            // over (cleared, expired, resolved, retracted): nothing left for an offline user's inbox to hand over
            done = done.call(() -> withdraw(alert.id()));
        }
        if ((status == AlertStatus.RESOLVED || status == AlertStatus.RETRACTED) && followUp.enabled()) {
            Step step = Step.followUp(status.name().toLowerCase(Locale.ROOT));
            done = done.call(() -> schedule.planFollowUp(alert.id(), json, step, followUp.delay())
                    .invoke(planned -> {
                        if (planned) {
                            Log.debugf("alert %s: %s planned", alert.id(), step.name());
                        }
                    }));
        }
        return done;
    }

    /**
     * An edit or un-acknowledgment of an open alert: the escalation follows the alert's current priority, counted
     * from this change (see {@link StepSchedule#replan}).
     */
    private Uni<Void> replan(Alert alert, String json) {
        return schedule.replan(alert.id(), json, alert.version(), changedAt(alert), policy.plan(alert.priority()))
                .invoke(result -> {
                    if (result == 1) {
                        metrics.replanned("started");
                        Log.infof("Alert %s (%s, %s): escalation started", alert.id(), alert.priority(),
                                alert.lastChange());
                    } else if (result == 2) {
                        metrics.replanned("stopped");
                        Log.infof("Alert %s (%s): escalation stopped", alert.id(), alert.priority());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * An assignment of an open alert: one push to the assignee (the user, or the group's members) without a live
     * session, planned once per assignment (the alert version it made), so a redelivered event plans nothing more.
     * Taking an assignment back ({@code assignee} null) pushes nothing.
     */
    private Uni<Void> assigned(Alert alert, String json) {
        if (alert.lastChange() != AlertChange.ASSIGNED || alert.assignee() == null) {
            return Uni.createFrom().voidItem();
        }
        return schedule.planAssignment(alert.id(), json, alert.version())
                .invoke(planned -> {
                    if (planned) {
                        Log.debugf("alert %s: push to assignee %s planned", alert.id(), alert.assignee().id());
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> withdraw(String alertId) {
        return inbox.withdraw(alertId).invoke(withdrawn -> {
            if (withdrawn > 0) {
                Log.infof("Alert %s withdrawn from %d offline inbox entr%s", alertId, withdrawn,
                        withdrawn == 1 ? "y" : "ies");
            }
        }).replaceWithVoid();
    }

    /**
     * Acknowledged alerts, and alerts in any status but active (cleared, expired, resolved, retracted), are neither
     * pushed nor escalated. An un-acknowledged alert is open again.
     */
    static boolean isClosed(Alert alert) {
        return alert.isAcknowledged() || alert.effectiveStatus() != AlertStatus.ACTIVE;
    }

    private Uni<Void> cancel(String alertId, boolean finalClose, long version, String why) {
        return schedule.cancel(alertId, finalClose, version)
                .invoke(removed -> {
                    if (removed > 0) {
                        Log.infof("Alert %s %s: cancelled %d pending step(s)", alertId,
                                why.toLowerCase(Locale.ROOT), removed);
                    }
                })
                .replaceWithVoid();
    }

    /** When the change happened: its {@code updatedAt}, unless unknown or in the future (clock skew). */
    private static Instant changedAt(Alert alert) {
        Instant now = Instant.now();
        return alert.updatedAt() == null || alert.updatedAt().isAfter(now) ? now : alert.updatedAt();
    }

    /** Escalation delays count from the alert's creation, unless that lies in the future (clock skew). */
    private static Instant base(Alert alert) {
        Instant now = Instant.now();
        return alert.createdAt() == null || alert.createdAt().isAfter(now) ? now : alert.createdAt();
    }

    private Uni<Void> dropped(String text, String reason) {
        metrics.decodeFailed();
        // the payload is not logged (size and content unknown)
        Log.warnf("Dropped an undecodable relay stream entry (%d chars): %s", text == null ? 0 : text.length(), reason);
        return Uni.createFrom().voidItem();
    }
}
