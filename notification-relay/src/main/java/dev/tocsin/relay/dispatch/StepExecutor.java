package dev.tocsin.relay.dispatch;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.user.ContactChannels;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.escalation.Step;
import dev.tocsin.relay.escalation.StepSchedule;
import dev.tocsin.relay.escalation.StepTarget;
import dev.tocsin.relay.metrics.RelayMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one due step of one alert: finds its recipients (the audience, or the escalation group), decides per user
 * and channel whether to push or skip, and hands each delivery to the {@link DeliveryWorker}. The step is removed
 * from the schedule only when every delivery is finished; otherwise it is looked at again after
 * {@code schedule.recheck} and only the unfinished deliveries are attempted.
 *
 * <p>The first step ({@code offline}) skips users with a live session; escalation steps reach every recipient
 * (an unacknowledged alert is worth a second channel even for someone with a dashboard open).
 */
@Singleton
public class StepExecutor {

    private final StepSchedule schedule;
    private final ContactDirectory directory;
    private final Presence presence;
    private final DeliveryWorker worker;
    private final RelayMetrics metrics;
    private final RelayConfig.Schedule config;

    public StepExecutor(StepSchedule schedule, ContactDirectory directory, Presence presence, DeliveryWorker worker,
                        RelayMetrics metrics, RelayConfig config) {
        this.schedule = schedule;
        this.directory = directory;
        this.presence = presence;
        this.worker = worker;
        this.metrics = metrics;
        this.config = config.schedule();
    }

    /** Runs the step named by a due-set member; never fails (a failure reschedules the step). */
    public Uni<Void> run(String member) {
        Step.Parsed parsed = Step.parse(member);
        if (parsed == null) {
            Log.warnf("Dropping an unreadable scheduled step '%s'", member);
            return schedule.complete("", member);
        }
        String alertId = parsed.alertId();
        Step step = parsed.step();
        return schedule.alertJson(alertId)
                .chain(json -> json == null ? Uni.createFrom().item(true) // state expired: nothing left to do
                        : schedule.isClosed(alertId).chain(closed -> closed ? Uni.createFrom().item(true)
                                : deliverAll(Json.decode(json, Alert.class), step)))
                .chain(finished -> finished ? schedule.complete(alertId, member)
                        : schedule.later(member, config.recheck()))
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf("Step %s of alert %s failed, retrying in %s: %s", step.name(), alertId,
                            config.recheck(), failure.getClass().getSimpleName());
                    return schedule.later(member, config.recheck())
                            .onFailure().recoverWithNull(); // Redis gone: the lease brings the step back anyway
                });
    }

    private Uni<Boolean> deliverAll(Alert alert, Step step) {
        if (step.isEscalation()) {
            metrics.escalated(step.name());
            Log.infof("Escalating unacknowledged alert %s: step %s", alert.id(), step.name());
        }
        Instant now = Instant.now();
        Multi<ContactChannels> users = step.target() == StepTarget.GROUP
                ? directory.members(alert.escalationGroup())
                : directory.recipients(alert.effectiveAudience());
        return users
                .onItem().transformToUni(user -> deliveriesFor(alert, step, user, now)).merge(config.concurrency())
                .onItem().transformToMultiAndConcatenate(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUni(worker::deliver).merge(config.concurrency())
                .collect().in(() -> new boolean[] {true}, (all, finished) -> all[0] &= finished)
                .map(all -> all[0]);
    }

    private Uni<List<Delivery>> deliveriesFor(Alert alert, Step step, ContactChannels user, Instant now) {
        boolean telegram = step.target().usesTelegram() && user.telegramChatId() != null
                && !user.telegramChatId().isBlank();
        boolean fcm = step.target().usesFcm() && !user.fcmTokens().isEmpty();
        if (!telegram && !fcm) {
            return Uni.createFrom().item(List.of());
        }
        Uni<Boolean> online = step.target() == StepTarget.OFFLINE
                ? presence.isOnline(user.userId()) : Uni.createFrom().item(false);
        return online.map(isOnline -> {
            String skip = isOnline ? DeliveryRules.ONLINE : DeliveryRules.skipReason(user, alert.priority(), now);
            List<Delivery> deliveries = new ArrayList<>();
            if (telegram) {
                deliveries.add(new Delivery(alert, step, user.userId(), DeliveryChannel.TELEGRAM,
                        user.telegramChatId(), skip));
            }
            if (fcm) {
                for (String token : user.fcmTokens().stream().distinct().toList()) {
                    deliveries.add(new Delivery(alert, step, user.userId(), DeliveryChannel.FCM, token, skip));
                }
            }
            return deliveries;
        });
    }
}
