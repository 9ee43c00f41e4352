package dev.tocsin.gateway.ratelimit;

import dev.tocsin.gateway.config.GatewayConfig;
import dev.tocsin.gateway.metrics.GatewayMetrics;
import dev.tocsin.gateway.session.Closer;
import dev.tocsin.gateway.session.MessageSender;
import dev.tocsin.gateway.session.Session;
import dev.tocsin.protocol.message.CloseCode;
import dev.tocsin.protocol.message.ServerMessage;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.UserData.TypedKey;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies the per-connection rate limit to every client frame. A refused frame is answered with
 * {@code rate_limit_warning} and not served; at the ban threshold the user is banned in Redis (every replica refuses
 * their handshakes until it expires) and this connection is closed with 4501. Each connection's limit lives in its
 * {@code userData()}, created with its first message.
 */
@ApplicationScoped
public class RateLimitGuard {

    static final TypedKey<ConnectionRateLimit> KEY = new TypedKey<>("tocsin.rate-limit");

    private final MessageSender sender;
    private final BanStore bans;
    private final Closer closer;
    private final GatewayMetrics metrics;
    private final int perMinute;
    private final int banAfter;

    RateLimitGuard(MessageSender sender, BanStore bans, Closer closer, GatewayMetrics metrics, GatewayConfig config) {
        this.sender = sender;
        this.bans = bans;
        this.closer = closer;
        this.metrics = metrics;
        this.perMinute = config.rateLimit().perMinute();
        this.banAfter = config.rateLimit().banAfter();
    }

    /** Whether the frame may be served; when not, the client has been told (or the connection is closing). */
    public boolean admit(Session session, String ref) {
        long now = System.currentTimeMillis();
        ConnectionRateLimit.Refusal refusal = limitOf(session, now).check(now);
        if (refusal == null) {
            return true;
        }
        metrics.rateLimited();
        if (refusal.ban()) {
            ban(session);
            return false;
        }
        sender.send(session, new ServerMessage.RateLimitWarning(ref, refusal.limit(), refusal.retryAfterMs(),
                refusal.violations()));
        return false;
    }

    /** The connection's limit; its callbacks run one after the other on its event loop, so get-then-put is safe. */
    private ConnectionRateLimit limitOf(Session session, long now) {
        ConnectionRateLimit limit = session.connection().userData().get(KEY);
        if (limit == null) {
            limit = new ConnectionRateLimit(perMinute, banAfter, now);
            session.connection().userData().put(KEY, limit);
        }
        return limit;
    }

    private void ban(Session session) {
        String user = session.principal().user();
        if (!session.connection().isOpen()) {
            return;
        }
        metrics.banned();
        Log.infof("Banning user %s after repeated rate-limit violations on connection %s", user,
                session.connectionId());
        // Close once the ban is stored, so a reconnect right after the close is already refused; close anyway
        // when Redis fails (the ban then holds only for this connection).
        bans.ban(user).subscribe().with(
                ignored -> closer.close(session.connection(), CloseCode.BANNED, "banned"),
                failure -> {
                    Log.warnf("Could not store the ban of user %s: %s", user, failure.toString());
                    closer.close(session.connection(), CloseCode.BANNED, "banned");
                });
    }
}
