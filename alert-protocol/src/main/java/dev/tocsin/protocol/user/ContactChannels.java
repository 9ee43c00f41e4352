package dev.tocsin.protocol.user;

import dev.tocsin.protocol.alert.Priority;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * How the relay reaches a user with no live connection. Stored by alert-ingest in MongoDB collection
 * {@code user_channels} ({@code _id} = user id, fields as here); read by notification-relay.
 *
 * @param userId         the user (JWT {@code upn}/{@code sub})
 * @param telegramChatId Telegram chat to message, or null
 * @param fcmTokens      FCM registration tokens of the user's devices
 * @param minPriority    least urgent priority that is pushed (default {@code high})
 * @param quietHours     window without pushes, or null
 * @param groups         groups the user belongs to for group audiences and escalation (for example on-call rotas)
 * @param updatedAt      last change
 */
public record ContactChannels(String userId, String telegramChatId, List<String> fcmTokens, Priority minPriority,
                              QuietHours quietHours, Set<String> groups, Instant updatedAt) {

    public ContactChannels {
        fcmTokens = fcmTokens == null ? List.of() : List.copyOf(fcmTokens);
        groups = groups == null ? Set.of() : Set.copyOf(groups);
    }

    /** The threshold in force: pushes default to {@code high} and above. */
    public Priority effectiveMinPriority() {
        return minPriority == null ? Priority.HIGH : minPriority;
    }
}
