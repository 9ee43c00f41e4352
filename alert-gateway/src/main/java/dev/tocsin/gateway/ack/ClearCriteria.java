package dev.tocsin.gateway.ack;

import dev.tocsin.protocol.alert.Priority;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The body of alert-ingest's {@code POST /api/v1/alerts/clear}; null members are left out. */
@RegisterForReflection
public record ClearCriteria(Set<Priority> priorities, Set<String> types, Instant olderThan, List<String> ids) {
}
