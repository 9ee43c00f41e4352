package dev.tocsin.ingest.changestream;

/**
 * What the publish script answered for one event.
 *
 * @param seq       the event's position (for a duplicate: the position it was published at before)
 * @param epoch     the sequence's epoch
 * @param duplicate true when the change had been published before (within the de-duplication window) and was
 *                  not published again
 */
public record Published(long seq, String epoch, boolean duplicate) {
}
