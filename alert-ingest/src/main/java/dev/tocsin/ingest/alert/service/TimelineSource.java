package dev.tocsin.ingest.alert.service;

import java.util.List;

/**
 * Timeline entries of an alert that are not stored in the alert but composed from elsewhere when the timeline is
 * read (pushes and escalation steps, from the delivery records). Implemented by other features, so that the alert
 * feature does not depend on them.
 */
public interface TimelineSource {

    /** The alert's entries from this source, at most {@code limit} (the newest), in any order. */
    List<TimelineEntry> entries(String alertId, int limit);
}
