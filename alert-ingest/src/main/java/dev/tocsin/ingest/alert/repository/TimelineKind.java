package dev.tocsin.ingest.alert.repository;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/** What one timeline entry records; stored and sent as the lower-case name. */
@RegisterForReflection
public enum TimelineKind {
    CREATED,
    EDITED,
    ACKNOWLEDGED,
    UNACKNOWLEDGED,
    CLEARED,
    RESOLVED,
    EXPIRED,
    RETRACTED,
    ASSIGNED,
    UNASSIGNED,
    NOTED,
    // Not stored in the alert: composed at read time from the alert's delivery records (TimelineSource)
    /** A push (Telegram, FCM) was accepted for a user: the first delivery, an escalation step or a follow-up. */
    PUSH_SENT,
    /** A push failed for good or was given up after its retries (dead letter). */
    PUSH_FAILED,
    /** An escalation step of an unacknowledged alert ran (the first delivery record of the step). */
    ESCALATION_STEP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
