package dev.tocsin.ingest.alert.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/alerts/{id}/notes}. The length bound is a setting
 * ({@code tocsin.ingest.notes.max-length}), so the service checks it, not an annotation.
 */
@RegisterForReflection
public class NoteRequest {

    @Schema(description = "The note: 1 to tocsin.ingest.notes.max-length (default 2000) characters after trimming",
            required = true)
    @NotNull(message = "is required")
    public String text;
}
