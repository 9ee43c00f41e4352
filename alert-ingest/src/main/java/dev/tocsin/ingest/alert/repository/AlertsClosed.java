package dev.tocsin.ingest.alert.repository;

import java.time.Instant;
import java.util.List;

/**
 * A CDI event (fired synchronously by {@link AlertRepository} after a write that closed alerts): their ids and when
 * they are purged. The delivery feature gives the alerts' delivery records the same {@code purgeAt}, without the
 * alert feature knowing it exists.
 */
public record AlertsClosed(List<String> alertIds, Instant purgeAt) {

    public AlertsClosed {
        alertIds = List.copyOf(alertIds);
    }
}
