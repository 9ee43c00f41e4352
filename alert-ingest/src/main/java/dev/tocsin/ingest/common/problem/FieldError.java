package dev.tocsin.ingest.common.problem;

/** One bad field of a request: its JSON path ({@code location.lat}, {@code metadata}) and what is wrong with it. */
public record FieldError(String field, String message) {
}
