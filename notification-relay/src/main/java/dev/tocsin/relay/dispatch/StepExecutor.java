package dev.tocsin.relay.dispatch;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.json.Json;
import dev.tocsin.protocol.user.ContactChannels;
import dev.tocsin.relay.config.RelayConfig;
import dev.tocsin.relay.escalation.Step;
import dev.tocsin.relay.escalation.StepSchedule;
import dev.tocsin.relay.escalation.StepTarget;
import dev.tocsin.relay.inbox.OfflineInbox;
import dev.tocsin.relay.metrics.RelayMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one due step of one alert: finds its recipients (the audience, or the escalation group), decides per user
 * and channel whether to push or skip, and hands each delivery to the {@link DeliveryWorker}. The step is removed
 * from the schedule only when every delivery is finished; otherwise it is looked at again after
 * {@code schedule.recheck} and only the unfinished deliveries are attempted.
 *
 * <p>The first step ({@code offline}) skips users with a live session and writes the alert to the
 * {@link OfflineInbox} of each recipient without one; escalation steps reach every recipient (an unacknowledged
 * alert is worth a second channel even for someone with a dashboard open) and write no inbox. A follow-up step runs
 * although the alert is closed (that is what it reports) and reaches only those the alert was pushed to
 * ({@link FollowUpDeliveries}).
 */
@Singleton
public class StepExecutor {

    private final StepSchedule schedule;
    private final ContactDirectory directory;
    private final Presence presence;
    private final DeliveryWorker worker;
    private final RelayMetrics metrics;
    private final RelayConfig.Schedule config;
    private final OfflineInbox inbox;
    private final FollowUpDeliveries followUps;

    public StepExecutor(StepSchedule schedule, ContactDirectory directory, Presence presence, DeliveryWorker worker,
                        RelayMetrics metrics, OfflineInbox inbox, RelayConfig config, FollowUpDeliveries followUps) {
        this.followUps = followUps;
        this.schedule = schedule;
        this.inbox = inbox;
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
                        : step.isFollowUp() ? send(followUps.of(Json.decode(json, Alert.class), step))
                        : schedule.isClosed(alertId).chain(closed -> closed ? Uni.createFrom().item(true)
                                : deliverAll(Json.decode(json, Alert.class), step)))
                .chain(finished -> !finished ? schedule.later(member, config.recheck())
                        : step.target() == StepTarget.OFFLINE
                                ? schedule.complete(alertId, member).call(() -> schedule.forgetCreatedEvent(alertId))
                                : schedule.complete(alertId, member))
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf("Step %s of alert %s failed, retrying in %s: %s", step.name(), alertId,
                            config.recheck(), failure.getClass().getSimpleName());
                    return schedule.later(member, config.recheck())
                            .onFailure().recoverWithNull(); // Redis gone: the lease brings the step back anyway
                });
    }

    private Uni<Boolean> deliverAll(Alert alert, Step step) {
        if (step.isEscalation()) {
            metrics.escalated(step.baseName());
            Log.infof("Escalating unacknowledged alert %s: step %s", alert.id(), step.name());
        }
        boolean toInbox = step.target() == StepTarget.OFFLINE && inbox.isEnabled();
        Uni<String> entry = toInbox ? inbox.entry(alert) : Uni.createFrom().nullItem();
        return entry.chain(inboxEntry -> {
            Instant now = Instant.now();
            Multi<ContactChannels> users = switch (step.target()) {
                case GROUP -> directory.members(alert.escalationGroup());
                case ASSIGNEE -> assignees(alert);
                default -> directory.recipients(alert.effectiveAudience());
            };
            if (inboxEntry != null) {
                users = withListedUsers(users, alert.effectiveAudience());
            }
            return send(users
                    .onItem().transformToUni(user -> deliveriesFor(alert, step, user, now, inboxEntry))
                    .merge(config.concurrency())
                    .onItem().transformToMultiAndConcatenate(
                            (List<Delivery> list) -> Multi.createFrom().iterable(list)));
        });
    }

    /** The alert's assignee as it is now: the user, or the members of the group; nobody once it was taken back. */
    private Multi<ContactChannels> assignees(Alert alert) {
        Assignee assignee = alert.assignee();
        if (assignee == null) {
            return Multi.createFrom().empty();
        }
        return assignee.kind() == Assignee.Kind.GROUP ? directory.members(assignee.id())
                : directory.users(List.of(assignee.id()));
    }

    /** Hands the deliveries to the worker; true when every one of them is finished. */
    private Uni<Boolean> send(Multi<Delivery> deliveries) {
        return deliveries
                .onItem().transformToUni(worker::deliver).merge(config.concurrency())
                .collect().in(() -> new boolean[] {true}, (all, finished) -> all[0] &= finished)
                .map(all -> all[0]);
    }

    /**
     * The recipients with a contact-channels document, then the users the audience lists by name that have none:
     * those get no push but still an inbox entry. (Members of an audience group, or everyone, without a document
     * cannot be enumerated here and get none.)
     */
    private static Multi<ContactChannels> withListedUsers(Multi<ContactChannels> recipients, Audience audience) {
        if (audience.everyone() || audience.users().isEmpty()) {
            return recipients;
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        return Multi.createBy().concatenating().streams(
                recipients.invoke(user -> seen.add(user.userId())),
                Multi.createFrom().deferred(() -> Multi.createFrom().iterable(audience.users().stream()
                        .filter(user -> !seen.contains(user))
                        .map(user -> new ContactChannels(user, null, List.of(), null, null, Set.of(), null))
                        .toList())));
    }

    /**
     * The deliveries for one user in this step. In the first step, a user without a live session also gets the
     * inbox entry (when {@code inboxEntry} is set) before the pushes are handed on: a Redis failure there fails the
     * step, which runs again later (the inbox keeps the entry single).
     */
    private Uni<List<Delivery>> deliveriesFor(Alert alert, Step step, ContactChannels user, Instant now,
                                              String inboxEntry) {
        boolean telegram = step.target().usesTelegram() && user.telegramChatId() != null
                && !user.telegramChatId().isBlank();
        boolean fcm = step.target().usesFcm() && !user.fcmTokens().isEmpty();
        if (!telegram && !fcm && inboxEntry == null) {
            return Uni.createFrom().item(List.of());
        }
        Uni<Boolean> online = step.target() == StepTarget.OFFLINE || step.target() == StepTarget.ASSIGNEE
                ? presence.isOnline(user.userId()) : Uni.createFrom().item(false);
        return online.call(isOnline -> isOnline || inboxEntry == null ? Uni.createFrom().voidItem()
                        : inbox.append(alert.id(), user.userId(), inboxEntry))
                .map(isOnline -> {
                    String skip = isOnline ? DeliveryRules.ONLINE
                            : DeliveryRules.skipReason(user, alert.priority(), now);
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
