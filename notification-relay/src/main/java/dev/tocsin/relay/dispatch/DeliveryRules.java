package dev.tocsin.relay.dispatch;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.user.ContactChannels;

import java.time.Instant;

/** The user's own rules: least urgent priority that is pushed, and quiet hours (critical may override them). */
final class DeliveryRules {

    static final String ONLINE = "online";
    static final String BELOW_MIN_PRIORITY = "below_min_priority";
    static final String QUIET_HOURS = "quiet_hours";
    static final String NOT_CONFIGURED = "channel_not_configured";

    private DeliveryRules() {
    }

    /** Why this user gets no push for an alert of this priority now, or null when it may be pushed. */
    static String skipReason(ContactChannels user, Priority priority, Instant now) {
        Priority p = priority == null ? Priority.INFO : priority;
        if (!p.atLeast(user.effectiveMinPriority())) {
            return BELOW_MIN_PRIORITY;
        }
        return quiet(user, p, now) ? QUIET_HOURS : null;
    }

    /**
     * Why this user gets no follow-up (resolved / retracted) now, or null. A follow-up reaches someone who was
     * pushed the alert, so the minimum priority is not asked again; quiet hours apply as to the original push
     * (critical alerts break through only with {@code criticalOverride}). A follow-up in quiet hours is dropped
     * (recorded as skipped), not deferred: it would arrive after the fact, when the app and the timeline already
     * tell the outcome.
     */
    static String followUpSkipReason(ContactChannels user, Priority priority, Instant now) {
        Priority p = priority == null ? Priority.INFO : priority;
        return quiet(user, p, now) ? QUIET_HOURS : null;
    }

    private static boolean quiet(ContactChannels user, Priority p, Instant now) {
        return user.quietHours() != null && user.quietHours().start() != null && user.quietHours().end() != null
                && inQuietHours(user, now)
                && !(p == Priority.CRITICAL && user.quietHours().criticalOverride());
    }

    private static boolean inQuietHours(ContactChannels user, Instant now) {
        try {
            return user.quietHours().contains(now);
        } catch (RuntimeException e) {
            return false; // an unknown time zone must not silence a user for good
        }
    }
}
