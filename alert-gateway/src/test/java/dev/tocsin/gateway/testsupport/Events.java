package dev.tocsin.gateway.testsupport;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Location;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.protocol.json.Json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds AlertEvents (and their JSON, with the shared codec) as alert-ingest publishes them. */
public final class Events {

    public static final String EPOCH = "test-epoch";
    private static final AtomicLong SEQ = new AtomicLong();

    private Events() {
    }

    public static long nextSeq() {
        return SEQ.incrementAndGet();
    }

    public static Alert alert(String id, Audience audience) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Alert(id, Priority.HIGH, "outbreak_risk", "Title " + id, "Message for " + id, "test-source",
                new Location(48.1, 11.5, "DE-BY"), 0.75, 0.5, 1200L, true, "https://example.org/a/" + id,
                now.plus(1, ChronoUnit.HOURS), now, now, audience, Map.of("k", "v", "n", 3), null, null, null, null, null, null, null);
    }

    public static AlertEvent created(String id, Audience audience) {
        return new AlertEvent(EPOCH, nextSeq(), ChangeOp.CREATED, id, alert(id, audience), "change-" + id, Instant.now());
    }

    public static AlertEvent deleted(String id) {
        return new AlertEvent(EPOCH, nextSeq(), ChangeOp.DELETED, id, null, "change-del-" + id, Instant.now());
    }

    public static String json(AlertEvent event) {
        return Json.encode(event);
    }
}
