package dev.tocsin.ingest.delivery.service;

import dev.tocsin.ingest.alert.repository.TimelineKind;
import dev.tocsin.ingest.alert.service.TimelineEntry;
import dev.tocsin.ingest.alert.service.TimelineSource;
import dev.tocsin.ingest.delivery.repository.DeliveryRepository;
import dev.tocsin.protocol.delivery.DeliveryOutcome;
import dev.tocsin.protocol.delivery.DeliveryRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The timeline entries an alert's push delivery records stand for, composed when the timeline is read (no extra
 * write; one entry per record, and records are keyed by alert, user, channel and step, so each push shows once):
 * {@code push_sent} for an accepted Telegram or FCM push, {@code push_failed} for one that failed or was given up
 * after its retries, and one {@code escalation_step} per escalation step that produced a record, at its earliest.
 * Skipped deliveries (quiet hours, minimum priority, online) are no push and show only in the deliveries listing;
 * WebSocket deliveries are not on the timeline.
 */
@ApplicationScoped
public class PushTimeline implements TimelineSource {

    static final List<String> PUSH_CHANNELS = List.of("telegram", "fcm");
    static final String FIRST_STEP = "offline";
    static final String FOLLOW_UP = "follow-up:";
    /** The actor of composed entries, like {@code system:expiry} for expiries. */
    static final String ACTOR = "system:relay";

    private final DeliveryRepository deliveries;

    public PushTimeline(DeliveryRepository deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public List<TimelineEntry> entries(String alertId, int limit) {
        List<DeliveryRecord> records = deliveries.forAlert(alertId, PUSH_CHANNELS, limit);
        List<TimelineEntry> entries = new ArrayList<>();
        Map<String, Instant> steps = new TreeMap<>();
        for (DeliveryRecord record : records) {
            String step = record.step();
            if (step != null && !step.equals(FIRST_STEP) && !step.startsWith(FOLLOW_UP) && record.at() != null) {
                steps.merge(step, record.at(), (a, b) -> a.isBefore(b) ? a : b);
            }
            if (record.outcome() == DeliveryOutcome.SKIPPED) {
                continue;
            }
            boolean sent = record.outcome() == DeliveryOutcome.DELIVERED;
            entries.add(TimelineEntry.push(sent ? TimelineKind.PUSH_SENT : TimelineKind.PUSH_FAILED, ACTOR,
                    record.at(), record.user(), record.channel().name().toLowerCase(Locale.ROOT),
                    step, sent ? null : record.detail()));
        }
        steps.forEach((step, at) -> entries.add(TimelineEntry.push(TimelineKind.ESCALATION_STEP, ACTOR, at, null,
                null, step, null)));
        return entries;
    }
}
