package dev.tocsin.ingest.common.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One bad field of a request: its JSON path ({@code location.lat}, {@code metadata}) and what is wrong with it. */
@RegisterForReflection
public record FieldError(String field, String message) {
}
