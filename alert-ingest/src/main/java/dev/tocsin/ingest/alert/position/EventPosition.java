package dev.tocsin.ingest.alert.position;

/**
 * A position in the change-event sequence that alert-ingest publishes to Redis: the {@code epoch} of the sequence
 * and the {@code seq} of the last event published in it.
 *
 * @param epoch null when nothing has been published yet
 * @param seq   0 when nothing has been published yet
 */
public record EventPosition(String epoch, long seq) {

    /** Before the first publish. */
    public static final EventPosition NONE = new EventPosition(null, 0);
}
