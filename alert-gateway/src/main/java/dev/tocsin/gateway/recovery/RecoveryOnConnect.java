package dev.tocsin.gateway.recovery;

import dev.tocsin.gateway.clock.Timers;
import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.pipeline.EventPipeline;
import dev.tocsin.gateway.session.Session;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Recovery's part in opening a connection. Live frames are held from the greeting's position until the connection's
 * recovery work ran: a short wait for the client's first message, so that a {@code sync} sent right after connecting
 * is served before any newer live frame; then (queued behind that sync) the offline inbox, minus what the sync
 * covered.
 */
@ApplicationScoped
public class RecoveryOnConnect {

    private final EventPipeline pipeline;
    private final InboxReplay inbox;
    private final Timers timers;
    private final Duration grace;
    private final boolean inboxEnabled;

    RecoveryOnConnect(EventPipeline pipeline, InboxReplay inbox, Timers timers, GatewayConfig config) {
        this.pipeline = pipeline;
        this.inbox = inbox;
        this.timers = timers;
        this.grace = config.sync().holdOnConnect();
        this.inboxEnabled = config.sync().inbox();
    }

    /** Gives a new session its recovery state (before it is activated). */
    public ConnectionRecovery attach(Session session) {
        ConnectionRecovery recovery = new ConnectionRecovery(new RecoveryGate(session, pipeline));
        session.connection().userData().put(ConnectionRecovery.KEY, recovery);
        return recovery;
    }

    /** After the greeting: the wait for the first message, then the inbox, as the gate's first task. */
    public void start(Session session, ConnectionRecovery recovery) {
        recovery.gate().submit(() -> onConnect(session, recovery));
    }

    /** A client message was served: a sync sent first is queued by now, so the hold on connect may end. */
    public void firstMessageServed(Session session) {
        ConnectionRecovery recovery = ConnectionRecovery.of(session);
        if (recovery != null) {
            recovery.firstMessageServed();
        }
    }

    private Uni<Void> onConnect(Session session, ConnectionRecovery recovery) {
        // A timer and a callback, not a future with a timeout: a cancelled future would keep its exception, stack
        // trace included, for the life of every connection whose client does not speak first.
        Uni<Void> waited = grace.isZero() || grace.isNegative() ? Uni.createFrom().voidItem()
                : Uni.createFrom().emitter(emitter -> {
                    long timer = timers.schedule(grace.toMillis(), () -> {
                        recovery.stopWaitingForFirstMessage();
                        emitter.complete(null);
                    });
                    recovery.onFirstMessage(() -> {
                        timers.cancel(timer);
                        emitter.complete(null);
                    });
                });
        return waited.invoke(() -> {
            if (inboxEnabled) {
                recovery.gate().submit(() -> inbox.deliver(session));
            }
        });
    }
}
