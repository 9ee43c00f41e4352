package dev.tocsin.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * A client's view of the alerts, applied as docs/protocol.md asks: alert id → the copy with the highest
 * {@code version} seen, from REST bodies and live or replayed frames alike.
 */
final class AlertView {

    /**
     * What a dashboard holds of one alert. {@code assignee}: {@code kind:id}, or null; {@code noteCount}: the larger of
     * the copy's count and the latest {@code alert_note}'s (a note leaves the version alone).
     */
    record Held(long version, String status, String acknowledgedBy, String assignee, int noteCount) {
    }

    final Map<String, Held> alerts = new TreeMap<>();

    void offer(String id, Held held) {
        Held current = alerts.get(id);
        if (current == null || held.version() > current.version()) {
            alerts.put(id, held);
        }
    }

    void restAlert(JsonNode alert) {
        JsonNode assignee = alert.path("assignee");
        offer(alert.path("id").asText(), new Held(alert.path("version").asLong(), alert.path("status").asText(),
                alert.path("acknowledgedBy").asText(null), assignee.isObject()
                        ? assignee.path("kind").asText() + ":" + assignee.path("id").asText() : null,
                alert.path("noteCount").asInt(0)));
    }

    void frame(JsonNode frame) {
        switch (frame.path("type").asText()) {
            case "alert" -> restAlert(frame.path("alert"));
            case "alert_batch" -> frame.path("alerts").forEach(entry -> restAlert(entry.path("alert")));
            case "alert_update" -> {
                String status = frame.path("status").asText();
                if ("deleted".equals(status)) {
                    alerts.remove(frame.path("alertId").asText());
                } else {
                    restAlert(frame.path("alert"));
                }
            }
            case "alert_ack" -> {
                String id = frame.path("alertId").asText();
                Held current = alerts.get(id);
                // An ack of an alert this view does not hold: nothing to show (the recipe ignores it).
                if (current != null) {
                    offer(id, new Held(frame.path("version").asLong(), current.status(),
                            frame.path("acknowledgedBy").asText(), current.assignee(), current.noteCount()));
                }
            }
            case "alert_note" -> {
                String id = frame.path("alertId").asText();
                Held current = alerts.get(id);
                int count = frame.path("noteCount").asInt();
                if (current != null && count > current.noteCount()) {
                    alerts.put(id, new Held(current.version(), current.status(), current.acknowledgedBy(),
                            current.assignee(), count));
                }
            }
            default -> {
            }
        }
    }

    /** The open alerts (active, acknowledged or not): what the dashboard shows. */
    Map<String, Held> open() {
        Map<String, Held> open = new TreeMap<>();
        alerts.forEach((id, held) -> {
            if ("active".equals(held.status())) {
                open.put(id, held);
            }
        });
        return open;
    }
}
