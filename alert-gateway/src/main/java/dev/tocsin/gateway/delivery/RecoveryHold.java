package dev.tocsin.gateway.delivery;

import dev.tocsin.protocol.message.ServerMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * The live frames of one connection kept while it recovers ({@code sync}, offline inbox), so that replayed frames go
 * first and nothing overtakes them. Bounded: beyond {@code limit} frames are dropped and counted, and the release
 * reports them as one {@code gap} notice. Kept frames are the shared encoded objects ({@link EncodedAlert} or a change
 * {@link OutboundFrame}), so holding costs a reference each. Not thread-safe: the connection's delivery guards it.
 */
final class RecoveryHold {

    /** Fewest frames a hold keeps, whatever the outbound queue's size. */
    static final int MIN_LIMIT = 10_000;

    private final int limit;
    private final List<Object> frames = new ArrayList<>();
    private long dropped;
    private long dropFrom = Long.MAX_VALUE;
    private long dropTo = Long.MIN_VALUE;
    /** The sequence number of the first event kept (frames are kept in sequence order), or MAX_VALUE. */
    private long oldestSeq = Long.MAX_VALUE;

    RecoveryHold(int limit) {
        this.limit = Math.max(1, limit);
    }

    /** The hold of a connection whose outbound queue holds {@code queueSize} frames: twice that, at least {@link #MIN_LIMIT}. */
    static RecoveryHold forQueueSize(int queueSize) {
        return new RecoveryHold(Math.max(MIN_LIMIT, Math.max(1, queueSize) * 2));
    }

    /**
     * Keeps a live frame about event {@code seq} (-1: none); false when the hold is full, in which case the frame is
     * dropped and remembered for the gap notice.
     */
    boolean keep(Object frame, long seq) {
        if (frames.size() < limit) {
            frames.add(frame);
            if (seq >= 0 && oldestSeq == Long.MAX_VALUE) {
                oldestSeq = seq;
            }
            return true;
        }
        dropped++;
        if (seq >= 0) {
            dropFrom = Math.min(dropFrom, seq);
            dropTo = Math.max(dropTo, seq);
        }
        return false;
    }

    /** The frames kept, in order. */
    List<Object> frames() {
        return frames;
    }

    /** The {@code gap} notice for the frames dropped while holding ({@code slow_consumer}), or null when none was. */
    ServerMessage.Gap gap() {
        if (dropped == 0) {
            return null;
        }
        return new ServerMessage.Gap(dropFrom == Long.MAX_VALUE ? -1 : dropFrom, dropTo == Long.MIN_VALUE ? -1 : dropTo,
                dropped, "slow_consumer");
    }

    /**
     * The oldest event kept above {@code floor} (those at or below it will be skipped at the release: a replay covers
     * them), or {@code Long.MAX_VALUE}.
     */
    long oldestSeqAbove(long floor) {
        if (oldestSeq > floor) {
            return oldestSeq;
        }
        for (Object frame : frames) {
            long seq = frame instanceof EncodedAlert alert ? alert.seq() : ((OutboundFrame) frame).fromSeq();
            if (seq > floor) {
                return seq;
            }
        }
        return Long.MAX_VALUE;
    }

    int size() {
        return frames.size();
    }
}
