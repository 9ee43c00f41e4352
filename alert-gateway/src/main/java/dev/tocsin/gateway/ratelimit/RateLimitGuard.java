package dev.tocsin.gateway.ratelimit;

import dev.tocsin.gateway.delivery.MessageSender;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.session.Closer;
import dev.tocsin.gateway.session.Subscriber;
import dev.tocsin.protocol.message.CloseCode;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies the per-connection rate limit to every client frame. A refused frame is answered with
 * {@code rate_limit_warning} and not served; at the ban threshold the user is banned in Redis (every replica refuses
 * their handshakes until it expires) and this connection is closed with 4501.
 */
@ApplicationScoped
public class RateLimitGuard {

    private final MessageSender sender;
    private final BanStore bans;
    private final Closer closer;
    private final GatewayMetrics metrics;

    RateLimitGuard(MessageSender sender, BanStore bans, Closer closer, GatewayMetrics metrics) {
        this.sender = sender;
        this.bans = bans;
        this.closer = closer;
        this.metrics = metrics;
    }

    /** Whether the frame may be served; when not, the client has been told (or the connection is closing). */
    public boolean admit(Subscriber subscriber, String ref) {
        ConnectionRateLimit.Refusal refusal = subscriber.rateLimit().check(System.currentTimeMillis());
        if (refusal == null) {
            return true;
        }
        metrics.rateLimited();
        if (refusal.ban()) {
            ban(subscriber);
            return false;
        }
        sender.send(subscriber, new ServerMessage.RateLimitWarning(ref, refusal.limit(), refusal.retryAfterMs(),
                refusal.violations()));
        return false;
    }

    private void ban(Subscriber subscriber) {
        String user = subscriber.principal().user();
        if (!subscriber.connection().isOpen()) {
            return;
        }
        metrics.banned();
        Log.infof("Banning user %s after repeated rate-limit violations on connection %s", user,
                subscriber.connectionId());
        // Close once the ban is stored, so a reconnect right after the close is already refused; close anyway
        // when Redis fails (the ban then holds only for this connection).
        bans.ban(user).subscribe().with(
                ignored -> closer.close(subscriber.connection(), CloseCode.BANNED, "banned"),
                failure -> {
                    Log.warnf("Could not store the ban of user %s: %s", user, failure.toString());
                    closer.close(subscriber.connection(), CloseCode.BANNED, "banned");
                });
    }
}
