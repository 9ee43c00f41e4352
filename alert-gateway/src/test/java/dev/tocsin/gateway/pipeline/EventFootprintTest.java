package dev.tocsin.gateway.pipeline;

import dev.tocsin.gateway.testsupport.Events;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimate errs high: at least the characters at two bytes each, and it grows with what the alert carries. */
class EventFootprintTest {

    private static AlertEvent eventOf(Alert alert) {
        return new AlertEvent("epoch-1", 7, ChangeOp.CREATED, alert.id(), alert, "change-7", Instant.now());
    }

    private static Alert withMetadata(Alert a, Map<String, Object> metadata) {
        return new Alert(a.id(), a.priority(), a.type(), a.title(), a.message(), a.source(), a.location(),
                a.riskScore(), a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(),
                a.expiresAt(), a.createdAt(), a.updatedAt(), a.audience(), metadata, a.status(), a.acknowledgedBy(),
                a.acknowledgedAt(), a.clearedBy(), a.clearedAt(), a.lastChange(), a.escalationGroup(), a.version(),
                a.resolvedBy(), a.resolvedAt(), a.resolution(), a.assignee(), a.assignedBy(), a.assignedAt(),
                a.noteCount());
    }

    @Test
    void coversTheCharactersOfTypicalAndLargeAlerts() {
        AlertEvent typical = eventOf(Events.alert("typical", Audience.EVERYONE));
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            users.add(String.format("user-%0194d", i)); // 200 characters each, the most ingest accepts
        }
        AlertEvent thousandUsers = eventOf(Events.alert("many", Audience.of(users, List.of())));
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (int i = 0; i < 64; i++) {
            metadata.put("key-" + i, "v".repeat(240)); // about 16 KiB of JSON, ingest's bound
        }
        AlertEvent bigMetadata = eventOf(withMetadata(Events.alert("meta", Audience.EVERYONE), metadata));

        for (AlertEvent event : List.of(typical, thousandUsers, bigMetadata)) {
            long json = Json.encode(event).length();
            long estimate = EventFootprint.of(event);
            System.out.printf("%s: JSON %d characters, estimate %d bytes%n", event.alertId(), json, estimate);
            assertTrue(estimate >= 2 * json - 2 * 400, event.alertId() + ": " + estimate + " for " + json);
        }
        assertTrue(EventFootprint.of(thousandUsers) > 100 * 1024);
        assertTrue(EventFootprint.of(bigMetadata) > 32 * 1024);
    }
}
