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
    NOTED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
