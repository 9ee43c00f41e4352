package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.pipeline.Position;
import dev.tocsin.gateway.session.Session;
import io.quarkus.websockets.next.UserData.TypedKey;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What recovery keeps for one connection, in its {@code userData()} under its own key: the recovery gate, where the
 * connection's live delivery began, which events it got from the offline inbox, and whether the client's first
 * message was served (the short hold on connect waits for it).
 */
public final class ConnectionRecovery {

    static final TypedKey<ConnectionRecovery> KEY = new TypedKey<>("tocsin.recovery");

    private final RecoveryGate gate;
    private volatile Position liveFrom = Position.NONE;
    /** Created when the offline inbox delivers something: most connections never get an inbox entry. */
    private volatile Set<Long> inboxSeqs;
    /** Guarded by this: whether the first client message was served, and who waits for it. */
    private boolean firstMessageDone;
    private Runnable firstMessageWaiter;

    ConnectionRecovery(RecoveryGate gate) {
        this.gate = gate;
    }

    /** The recovery state of a session's connection, or null before it was attached. */
    static ConnectionRecovery of(Session session) {
        return session.connection().userData().get(KEY);
    }

    /** The connection's recovery queue ({@code sync}, inbox), which holds live frames while it works. */
    public RecoveryGate gate() {
        return gate;
    }

    /** The pipeline position when the connection became active: every later event reached it live. */
    public Position liveFrom() {
        return liveFrom;
    }

    /**
     * Live delivery begins after {@code position}, and live frames are held from there until the connection's first
     * recovery work ran; call inside {@code EventPipeline.atomically}, after queueing the greeting.
     */
    public void beginAt(Position position) {
        this.liveFrom = position;
        gate.beginHoldAt(position);
    }

    /** This connection received the event {@code seq} (of the current epoch) from the offline inbox. */
    void inboxDelivered(long seq) {
        Set<Long> seqs = inboxSeqs;
        if (seqs == null) {
            synchronized (this) {
                seqs = inboxSeqs;
                if (seqs == null) {
                    seqs = ConcurrentHashMap.newKeySet();
                    inboxSeqs = seqs;
                }
            }
        }
        seqs.add(seq);
    }

    /** Whether the event {@code seq} (of the current epoch) reached this connection from the offline inbox. */
    boolean fromInbox(long seq) {
        Set<Long> seqs = inboxSeqs;
        return seqs != null && seqs.contains(seq);
    }

    /** The client's first message was served (ends the hold on connect). */
    void firstMessageServed() {
        Runnable waiter;
        synchronized (this) {
            if (firstMessageDone) {
                return;
            }
            firstMessageDone = true;
            waiter = firstMessageWaiter;
            firstMessageWaiter = null;
        }
        if (waiter != null) {
            waiter.run();
        }
    }

    /** Runs {@code waiter} once the client's first message was served (at once when it was). */
    void onFirstMessage(Runnable waiter) {
        boolean done;
        synchronized (this) {
            done = firstMessageDone;
            if (!done) {
                firstMessageWaiter = waiter;
            }
        }
        if (done) {
            waiter.run();
        }
    }

    /** Stops waiting for the first message (the grace period ended). */
    synchronized void stopWaitingForFirstMessage() {
        firstMessageWaiter = null;
    }
}
