package dev.tocsin.gateway.pipeline;

/**
 * Where the gateway stands in the event sequence: every event up to {@code (epoch, seq)} has been handed to the
 * connections. {@code epoch} is null until the gateway knows one (nothing published yet).
 */
public record Position(String epoch, long seq) {

    public static final Position NONE = new Position(null, 0);
}
