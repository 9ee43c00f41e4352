package dev.tocsin.relay.consume;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.CodecException;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.relay.escalation.EscalationPolicy;
import dev.tocsin.relay.escalation.StepSchedule;
import dev.tocsin.relay.inbox.OfflineInbox;
import dev.tocsin.relay.metrics.RelayMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * Turns one relay-stream event into durable work: a {@code created} alert gets its delivery plan scheduled (first
 * delivery now, escalations later); an acknowledgment, clear, expiry, resolution, retraction or delete cancels every
 * pending step of the alert at once; other updates refresh the stored alert text. Each of these is idempotent, so an event that is
 * delivered twice (stream replay, XAUTOCLAIM) changes nothing the second time. The returned Uni completes when
 * the work is stored in Redis: only then may the entry be acknowledged.
 */
@Singleton
public class EventHandler {

    private final StepSchedule schedule;
    private final EscalationPolicy policy;
    private final RelayMetrics metrics;
    private final OfflineInbox inbox;

    public EventHandler(StepSchedule schedule, EscalationPolicy policy, RelayMetrics metrics, OfflineInbox inbox) {
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
            case DELETED -> cancel(alertId, "deleted");
            case CREATED, UPDATED -> {
                if (alert == null) {
                    yield Uni.createFrom().voidItem();
                }
                if (isClosed(alert)) {
                    yield cancel(alertId, alert.isAcknowledged() ? "acknowledged" : alert.effectiveStatus().name());
                }
                String json = Json.encode(alert);
                yield event.op() == dev.tocsin.protocol.event.ChangeOp.CREATED
                        // the created event is kept verbatim: the offline inboxes carry its real (epoch, seq)
                        ? schedule.schedule(alertId, json, inbox.isEnabled() ? text : null, base(alert),
                                        policy.plan(alert.priority()))
                                .invoke(result -> Log.debugf("alert %s: plan %s", alertId,
                                        result == 1 ? "scheduled" : result == 0 ? "already scheduled" : "closed"))
                                .replaceWithVoid()
                        : schedule.refresh(alertId, json);
            }
        };
    }

    /**
     * Acknowledged alerts, and alerts in any status but active (cleared, expired, resolved, retracted), are neither
     * pushed nor escalated. The plan is not re-decided on edits: see docs/notification-relay.md.
     */
    static boolean isClosed(Alert alert) {
        return alert.isAcknowledged() || alert.effectiveStatus() != AlertStatus.ACTIVE;
    }

    private Uni<Void> cancel(String alertId, String why) {
        return schedule.cancel(alertId)
                .invoke(removed -> {
                    if (removed > 0) {
                        Log.infof("Alert %s %s: cancelled %d pending step(s)", alertId,
                                why.toLowerCase(java.util.Locale.ROOT), removed);
                    }
                })
                .replaceWithVoid();
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
