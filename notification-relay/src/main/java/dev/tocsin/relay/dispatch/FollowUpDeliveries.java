package dev.tocsin.relay.dispatch;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.delivery.DeliveryChannel;
import dev.tocsin.protocol.user.ContactChannels;
import dev.tocsin.relay.escalation.Step;
import dev.tocsin.relay.followup.PushLog;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deliveries of a follow-up step: one per user and channel the alert was actually pushed on ({@link PushLog}),
 * to the user's current address (the Telegram chat; each FCM token whose digest was pushed and is still registered).
 * Users never pushed get nothing. Quiet hours apply ({@link DeliveryRules#followUpSkipReason}).
 */
@Singleton
class FollowUpDeliveries {

    private final PushLog pushLog;
    private final ContactDirectory directory;

    FollowUpDeliveries(PushLog pushLog, ContactDirectory directory) {
        this.pushLog = pushLog;
        this.directory = directory;
    }

    Multi<Delivery> of(Alert alert, Step step) {
        return pushLog.pushed(alert.id()).onItem().transformToMulti(pushed -> {
            Map<String, Set<PushLog.Pushed>> byUser = new HashMap<>();
            for (PushLog.Pushed p : pushed) {
                byUser.computeIfAbsent(p.user(), u -> new HashSet<>()).add(p);
            }
            Instant now = Instant.now();
            return directory.users(byUser.keySet())
                    .onItem().transformToIterable(user -> deliveries(alert, step, user, byUser.get(user.userId()), now));
        });
    }

    private static List<Delivery> deliveries(Alert alert, Step step, ContactChannels user, Set<PushLog.Pushed> pushed,
                                             Instant now) {
        List<Delivery> deliveries = new ArrayList<>();
        if (pushed == null) {
            return deliveries;
        }
        String skip = DeliveryRules.followUpSkipReason(user, alert.priority(), now);
        boolean telegram = pushed.stream().anyMatch(p -> p.channel() == DeliveryChannel.TELEGRAM);
        if (telegram && user.telegramChatId() != null && !user.telegramChatId().isBlank()) {
            deliveries.add(new Delivery(alert, step, user.userId(), DeliveryChannel.TELEGRAM, user.telegramChatId(),
                    skip));
        }
        Set<String> devices = new HashSet<>();
        for (PushLog.Pushed p : pushed) {
            if (p.channel() == DeliveryChannel.FCM && p.addressDigest() != null) {
                devices.add(p.addressDigest());
            }
        }
        for (String token : user.fcmTokens().stream().distinct().toList()) {
            if (devices.contains(DeliveryWorker.fingerprint(token))) {
                deliveries.add(new Delivery(alert, step, user.userId(), DeliveryChannel.FCM, token, skip));
            }
        }
        return deliveries;
    }

}
