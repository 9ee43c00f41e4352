package dev.tocsin.ingest.changestream;

/**
 * The last position this service published, as stored with the resume token: handed to the publish script so
 * that a Redis that came back empty continues the sequence instead of starting again at 1.
 *
 * @param epoch   the epoch of the sequence, null when none is known
 * @param lastSeq the last published seq, -1 when none is known
 */
public record SequencePosition(String epoch, long lastSeq) {

    public static final SequencePosition NONE = new SequencePosition(null, -1);

    public boolean known() {
        return epoch != null && !epoch.isEmpty() && lastSeq >= 0;
    }

    /** The position after a publish: a duplicate's earlier seq never moves the position back. */
    public SequencePosition after(Published published) {
        if (published.duplicate()) {
            if (published.epoch().isEmpty()) {
                return this;
            }
            if (published.epoch().equals(epoch)) {
                return new SequencePosition(epoch, Math.max(lastSeq, published.seq()));
            }
        }
        return new SequencePosition(published.epoch(), published.seq());
    }
}
