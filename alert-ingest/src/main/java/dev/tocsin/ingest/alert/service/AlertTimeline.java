package dev.tocsin.ingest.alert.service;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * An alert's timeline, oldest first. {@code limit}: at most this many of the newest entries are kept per alert, so
 * a timeline of exactly {@code limit} entries may have lost its oldest ones.
 */
@RegisterForReflection
public record AlertTimeline(String alertId, List<TimelineEntry> entries, int limit) {
}
