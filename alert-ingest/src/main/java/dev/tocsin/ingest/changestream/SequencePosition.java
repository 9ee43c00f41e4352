package dev.tocsin.ingest.changestream;

/**
 * The last position this service published, handed to the publish script so that a Redis that came back empty
 * continues the sequence instead of starting again at 1, and stored with the resume token.
 *
 * <p>{@code exact} says whether {@code lastSeq} is known to be the last seq handed out in this epoch. It is while
 * the tailer runs and its last publish was answered. It is not after a restart from a stored position that a
 * crash may have left behind the published changes (positions are stored once per batch, and a publish that timed
 * out may still have happened). The script continues an exact position after a Redis loss; from an inexact one
 * it starts a new epoch, because the sequence handed out after the stored position is unknown and continuing
 * could give a position that consumers already hold to another change.
 *
 * @param epoch   the epoch of the sequence, null when none is known
 * @param lastSeq the last published seq, -1 when none is known
 * @param exact   true when no seq after {@code lastSeq} has been handed out in {@code epoch}
 */
public record SequencePosition(String epoch, long lastSeq, boolean exact) {

    public static final SequencePosition NONE = new SequencePosition(null, -1, false);

    /** A position known to be the last one handed out: what a running tailer holds after a publish. */
    public SequencePosition(String epoch, long lastSeq) {
        this(epoch, lastSeq, true);
    }

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
                return new SequencePosition(epoch, Math.max(lastSeq, published.seq()), exact);
            }
            return new SequencePosition(published.epoch(), published.seq(), false);
        }
        return new SequencePosition(published.epoch(), published.seq(), true);
    }

    /**
     * The same position, not known to be the last: what a checkpoint taken while running stores (publishes may
     * follow it), and what is left when a publish that failed, and may still have been applied, is abandoned.
     */
    public SequencePosition inexact() {
        return exact ? new SequencePosition(epoch, lastSeq, false) : this;
    }
}
