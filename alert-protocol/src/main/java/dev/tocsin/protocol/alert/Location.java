package dev.tocsin.protocol.alert;

/** Where an alert applies: a point (WGS84 degrees) and an optional region code such as {@code DE-BY}. */
public record Location(Double lat, Double lon, String region) {
}
